/**
 * Near-duplicate groups: two texts sharing at least 30% of the smaller one's word 3-grams are
 * one group (in-the-wild jailbreaks come in families of lightly edited copies; router prompts
 * in template variants). Splitting by group keeps a copy of a test text out of its training
 * fold, which is what makes a k-fold number a held-out number.
 */
import { fnv1a } from "../../../shared/hash/fnv1a";
import type { Sample } from "./data";

function shingles(text: string): Set<string> {
  const w = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const out = new Set<string>();
  for (let i = 0; i + 2 < w.length; i++) out.add(`${w[i]} ${w[i + 1]} ${w[i + 2]}`);
  return out;
}

/**
 * Sets every sample's `group` to its near-duplicate component. Samples that arrive with a group
 * (one template's expansions) start in one component; texts from different sources can join one.
 */
export function assignGroups(samples: Sample[]): void {
  const sets = samples.map((s) => shingles(s.text));
  const parent = samples.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] ?? i] ?? i;
    return i;
  };
  const preset = new Map<string, number>();
  samples.forEach((s, i) => {
    if (!s.group) return;
    const first = preset.get(s.group);
    if (first === undefined) preset.set(s.group, i);
    else parent[find(i)] = find(first);
  });
  const postings = new Map<string, number[]>();
  sets.forEach((set, i) => {
    for (const sh of set) (postings.get(sh) ?? postings.set(sh, []).get(sh))?.push(i);
  });
  sets.forEach((set, i) => {
    const shared = new Map<number, number>();
    for (const sh of set) {
      const list = postings.get(sh) ?? [];
      if (list.length > 200) continue; // a stock phrase, not evidence of copying
      for (const j of list) if (j > i) shared.set(j, (shared.get(j) ?? 0) + 1);
    }
    for (const [j, n] of shared) {
      const small = Math.min(set.size, sets[j]?.size ?? 0);
      if (small > 0 && n / small >= 0.3) parent[find(i)] = find(j);
    }
  });
  samples.forEach((s, i) => {
    s.group = `dup#${find(i)}`;
  });
}

/** FNV-1a of the group name: a fold assignment that does not depend on row order. */
export function foldOf(group: string, k: number): number {
  return fnv1a(group) % k;
}
