/**
 * Title Case headlines ("Novak Charged In Lisbon Fraud Case") capitalise every content word, so
 * capitalisation stops telling names from words. In such a text a capitalised word counts as a
 * name only if it is not a common English word.
 *
 * "Common word" is read off the cl100k BPE vocabulary the gateway already bundles for token
 * counting: BPE merges follow corpus frequency, so a word whose lower-case form (after a space)
 * is a single token is frequent in lower case, i.e. used as an ordinary word ("death", "tent",
 * "star"); names are mostly written capitalised, so their lower-case form splits ("obama",
 * "kowalski", "novak" are 2-3 tokens). Known given names, surnames and places (the PII
 * dictionaries) stay names even when frequent in lower case ("Smith", "Bush", "Jordan").
 */
import { encode } from "gpt-tokenizer/encoding/cl100k_base";
import { FIRST_NAMES, LAST_NAMES, PLACES } from "../../guardrails/pii/dictionaries";
import { STOPWORDS } from "./lexicon";

/** Share of content words (after the first word) that must be capitalised for Title Case. */
const TITLE_CASE_SHARE = 0.75;
const MIN_CONTENT_WORDS = 3;
const CAPITALISED_WORD = /^\p{Lu}\p{Ll}+$/u;

export function isTitleCase(raw: readonly string[]): boolean {
  const content = raw.slice(1).filter((w) => /^\p{L}/u.test(w) && !STOPWORDS.has(w.toLowerCase()));
  if (content.length < MIN_CONTENT_WORDS) return false;
  const capitalised = content.filter((w) => /^\p{Lu}/u.test(w)).length;
  return capitalised / content.length >= TITLE_CASE_SHARE;
}

/** A capitalised word that is an ordinary English word, not a known name or place. */
export function isCommonWord(word: string): boolean {
  const base = word.replace(/['’]s$/u, "");
  if (!CAPITALISED_WORD.test(base)) return false;
  const lower = base.toLowerCase();
  if (FIRST_NAMES.has(base) || LAST_NAMES.has(base) || PLACES.has(lower)) return false;
  // One cl100k token is never this long; skipping BPE keeps a 100k-letter "word" linear.
  return lower.length <= 32 && encode(` ${lower}`).length === 1;
}
