/**
 * SciFact (BEIR layout) from the shared data folder, read in place (never copied into the repo),
 * and the claim split every RAG number uses. The 300 official test claims are not here; of the
 * 809 train claims we hold out ~20% that no model is ever fitted or chosen on. Claims are split
 * by *group*: claims that share a relevant abstract (SciFact writes several claims, often a
 * claim and its negation, from one citation) fall in one fold, so no held-out claim has a
 * sibling in training. Folds 1-4 are the dev folds (model selection by 4-fold CV); fold 0 is
 * held out.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fnv1a } from "../../shared/hash/fnv1a";

export const SCIFACT_DIR = process.env.SCIFACT_DIR ?? join(import.meta.dirname, "../../../shared/data/rag/scifact-dev");
export const HELD_OUT_FOLD = 0;
export const FOLDS = 5;

export interface Abstract {
  id: string;
  title: string;
  text: string;
}
export interface Claim {
  id: string;
  text: string;
  relevant: Set<string>;
  fold: number;
}

export function scifactAvailable(): boolean {
  return existsSync(join(SCIFACT_DIR, "corpus.jsonl"));
}

export function loadCorpus(): Abstract[] {
  return readFileSync(join(SCIFACT_DIR, "corpus.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const r = JSON.parse(l) as { _id: string; title: string; text: string };
      return { id: String(r._id), title: r.title, text: r.text };
    });
}

export function loadClaims(): Claim[] {
  const qrels = new Map<string, Set<string>>();
  for (const line of readFileSync(join(SCIFACT_DIR, "qrels/train.tsv"), "utf8").split("\n").slice(1)) {
    const [q, d, s] = line.split("\t");
    if (!q || !d || Number(s) <= 0) continue;
    qrels.set(q, (qrels.get(q) ?? new Set()).add(d));
  }
  const texts = new Map(
    readFileSync(join(SCIFACT_DIR, "queries.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { _id: string; text: string })
      .map((r) => [String(r._id), r.text] as const),
  );
  // Union-find over claims sharing a relevant abstract.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    const p = parent.get(x) ?? x;
    if (p === x) return x;
    const r = find(p);
    parent.set(x, r);
    return r;
  };
  const byDoc = new Map<string, string>();
  for (const [q, docs] of qrels) {
    for (const d of docs) {
      const other = byDoc.get(d);
      if (other) parent.set(find(q), find(other));
      else byDoc.set(d, q);
    }
  }
  const groupKey = new Map<string, string>();
  for (const [q, docs] of qrels) {
    const root = find(q);
    const key = [...docs].sort()[0] ?? q;
    const cur = groupKey.get(root);
    if (cur === undefined || key < cur) groupKey.set(root, key);
  }
  return [...qrels]
    .filter(([q]) => texts.has(q))
    .map(([q, docs]) => ({ id: q, text: texts.get(q) as string, relevant: docs, fold: fnv1a(`scifact:${groupKey.get(find(q))}`) % FOLDS }));
}

/** nDCG@k with binary gains over a ranked list of document ids (BEIR's definition). */
export function ndcgAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  let dcg = 0;
  const seen = new Set<string>();
  let pos = 0;
  for (const id of ranked) {
    if (seen.has(id)) continue;
    seen.add(id);
    if (pos >= k) break;
    if (relevant.has(id)) dcg += 1 / Math.log2(pos + 2);
    pos++;
  }
  let idcg = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) idcg += 1 / Math.log2(i + 2);
  return idcg > 0 ? dcg / idcg : 0;
}

export function recallAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  const top = new Set<string>();
  for (const id of ranked) {
    if (top.size >= k) break;
    top.add(id);
  }
  let hit = 0;
  for (const r of relevant) if (top.has(r)) hit++;
  return relevant.size ? hit / relevant.size : 0;
}
