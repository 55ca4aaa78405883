/**
 * Entity equivalences for the entity guard: alias folding ("Syrian" = "Syria", "U.S." =
 * "United States") and acronyms spelled out in the other text ("SC" = "Supreme Court").
 * Equivalence only ever widens what counts as "the same name"; a name with no equivalent
 * in the other text still refuses the match.
 */
import { FIRST_NAMES } from "../../guardrails/pii/dictionaries";
import { canonicalEntity, ENTITY_ALIASES, MAX_ALIAS_WORDS } from "./entity-aliases";
import { STOPWORDS } from "./lexicon";

/** Canonical keys of every word and short phrase of a text, for alias-aware coverage checks. */
export function canonicalKeys(words: string[], aliases = true): Set<string> {
  const keys = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    for (let n = 1; n <= MAX_ALIAS_WORDS && i + n <= words.length; n++) {
      const phrase = words.slice(i, i + n).join(" ");
      keys.add(aliases ? canonicalEntity(phrase) : phrase);
    }
  }
  return keys;
}

/** Multi-word aliases present in the text ("united states", "european union"). */
export function aliasPhrases(words: string[]): string[] {
  const found: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    const phrase = `${words[i]} ${words[i + 1]}`;
    if (ENTITY_ALIASES.has(phrase)) found.push(phrase);
  }
  return found;
}

/** Small words an acronym skips ("Federal Bureau of Investigation" = "FBI"). */
const CONNECTORS = new Set(["of", "and", "for", "the", "de", "on", "in"]);
const ACRONYM = /^\p{Lu}{2,6}$/u;

/**
 * For each ALL-CAPS word of `raw` (an acronym), the words of `other` it abbreviates: a run of
 * content words whose initials spell it, connectors allowed inside the run only.
 */
export function acronymLinks(raw: string[], other: string[]): Array<{ acronym: string; expansion: string[] }> {
  const links: Array<{ acronym: string; expansion: string[] }> = [];
  for (const word of new Set(raw.filter((w) => ACRONYM.test(w)))) {
    const letters = word.toLowerCase();
    for (let i = 0; i < other.length; i++) {
      const run = expansionAt(letters, other, i);
      if (run) {
        links.push({ acronym: letters, expansion: run });
        break;
      }
    }
  }
  return links;
}

function expansionAt(letters: string, words: string[], start: number): string[] | null {
  const run: string[] = [];
  let k = 0;
  for (let i = start; i < words.length && k < letters.length; i++) {
    const w = words[i] ?? "";
    if (w[0] === letters[k] && w.length > 1 && !STOPWORDS.has(w)) {
      run.push(w);
      k++;
    } else if (run.length > 0 && CONNECTORS.has(w)) {
      continue;
    } else {
      return null;
    }
  }
  return k === letters.length && run.length >= 2 ? run : null;
}

const CAPITALISED = /^\p{Lu}/u;

/**
 * "Ada Lovelace" in one text, "Lovelace" in the other: the same person named by surname
 * only. True when word `i` of `raw` is a known given name followed (after an optional middle
 * initial) by a capitalised word the other text has, and the other text does not put a
 * different capitalised word right before it ("John Smith" vs "Jane Smith" stays a mismatch).
 */
export function droppedGivenName(raw: string[], i: number, otherRaw: string[]): boolean {
  const given = raw[i] ?? "";
  if (!FIRST_NAMES.has(given)) return false;
  let j = i + 1;
  if (/^\p{Lu}$/u.test(raw[j] ?? "")) j++;
  const surname = raw[j] ?? "";
  if (!CAPITALISED.test(surname)) return false;
  const k = otherRaw.indexOf(surname);
  if (k < 0) return false;
  const before = otherRaw[k - 1];
  return before === undefined || !CAPITALISED.test(before) || k - 1 === 0;
}
