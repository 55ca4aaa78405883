/**
 * The closed-set check: one text names a member of a closed set (a colour, a language, an
 * animal...) that the other does not, and vice versa. Surface forms are folded first, so
 * spellings of the same member never count as a swap: plurals of countable members ("cats" =
 * "cat"), British spellings ("grey" = "gray") and listed aliases ("postgresql" = "postgres").
 */
import { EXCLUSIVE_SETS, IRREGULAR_PLURALS } from "./lexicon";
import { americanSpelling } from "./spelling";

/** Surface form -> [set index, canonical member]. */
const MEMBERS: ReadonlyMap<string, readonly [number, string]> = buildMembers();

function buildMembers(): Map<string, readonly [number, string]> {
  const out = new Map<string, readonly [number, string]>();
  EXCLUSIVE_SETS.forEach(({ members, countable }, set) => {
    for (const group of members.split(" ")) {
      const names = group.split("=");
      const canonical = names[0] ?? group;
      for (const name of names) {
        out.set(name, [set, canonical]);
        if (countable) out.set(`${name}s`, [set, canonical]);
      }
    }
  });
  for (const [plural, singular] of Object.entries(IRREGULAR_PLURALS)) {
    const entry = out.get(singular);
    if (entry) out.set(plural, entry);
  }
  return out;
}

/** Canonical closed-set members named in a text, keyed by set. */
export function categoryMembers(words: Iterable<string>): Map<number, Set<string>> {
  const found = new Map<number, Set<string>>();
  for (const word of words) {
    const entry = MEMBERS.get(americanSpelling(word));
    if (!entry) continue;
    const [set, member] = entry;
    let members = found.get(set);
    if (!members) found.set(set, (members = new Set()));
    members.add(member);
  }
  return found;
}

export function categorySwapped(a: Map<number, Set<string>>, b: Map<number, Set<string>>): boolean {
  for (const [set, inA] of a) {
    const inB = b.get(set);
    if (!inB) continue;
    const onlyA = [...inA].some((m) => !inB.has(m));
    const onlyB = [...inB].some((m) => !inA.has(m));
    if (onlyA && onlyB) return true;
  }
  return false;
}
