/**
 * Entity equivalences for the entity guard: alias folding ("Syrian" = "Syria", "U.S." =
 * "United States") and acronyms spelled out in the other text ("SC" = "Supreme Court").
 * Equivalence only ever widens what counts as "the same name"; a name with no equivalent
 * in the other text still refuses the match.
 */
import { canonicalEntity, MAX_ALIAS_WORDS } from "./entity-aliases";
import { STOPWORDS } from "./lexicon";

/** Canonical keys of every word and short phrase of a text, for alias-aware coverage checks. */
export function canonicalKeys(words: string[]): Set<string> {
  const keys = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    for (let n = 1; n <= MAX_ALIAS_WORDS && i + n <= words.length; n++) {
      keys.add(canonicalEntity(words.slice(i, i + n).join(" ")));
    }
  }
  return keys;
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
