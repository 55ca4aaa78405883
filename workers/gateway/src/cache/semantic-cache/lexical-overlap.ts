/**
 * Content-word overlap of two questions, weighted by how rare each word is: the lexical half of
 * the semantic hit score (see hit-score.ts). A bag of word vectors rates "my kid is learning to
 * swim" and "... to skate" 0.92; the two share only two of three content words, and the
 * one they do not share is the point of the question.
 *
 * Words are compared after light normalisation (lower case, American spelling, possessives and
 * plural / tense endings stripped), so "Hikers" = "hiker" and "colour" = "color". Numbers
 * and PII placeholders are left out: the guards already require them to be equal.
 *
 * Weights: -log of a word's frequency, read off the cl100k BPE vocabulary the gateway bundles
 * for token counting (merges follow corpus frequency, so a word's token id grows roughly with
 * its frequency rank; a word that is not a single token is rarer than any that is). This keeps
 * the score independent of the embedder, local or Workers AI.
 */
import { encode } from "gpt-tokenizer/encoding/cl100k_base";
import { STOPWORDS } from "../guards/lexicon";
import { americanSpelling } from "../guards/spelling";
import { NO_SYNONYMS, type SynonymTable } from "./synonyms";

const WORD = /\p{L}+(?:['’]\p{L}+)*/gu;
const PLACEHOLDER = /<[A-Z][A-Z_]*?_\d{1,6}>|<[A-Z_]+:[0-9a-f]{12}>/g;
/** Rank given to words that are not one cl100k token (rarer than every single-token word). */
const MULTI_TOKEN_RANK = 100_000;
/** Zipf-Mandelbrot offset: keeps the most frequent words from weighing ~0. */
const RANK_OFFSET = 50;

const weights = new Map<string, number>();
const MAX_CACHED_WEIGHTS = 50_000;

export function wordWeight(word: string): number {
  let w = weights.get(word);
  if (w === undefined) {
    // A word this long is never one token, and BPE on it costs the square of its length (a
    // space-free CJK paragraph is one "word" here): rank it rare without encoding it.
    const ids = word.length > 32 ? [] : encode(` ${word}`);
    w = Math.log((ids.length === 1 ? (ids[0] ?? MULTI_TOKEN_RANK) : MULTI_TOKEN_RANK) + RANK_OFFSET);
    if (weights.size >= MAX_CACHED_WEIGHTS) weights.clear();
    weights.set(word, w);
  }
  return w;
}

/** Light suffix stripping, applied identically to both texts (a key, not a dictionary form). */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith("ies")) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith("ed")) w = w.slice(0, -2);
  if (w.length > 4 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

/** Distinct content-word keys of a text. */
export function contentWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.replace(PLACEHOLDER, " ").normalize("NFKC").toLowerCase().matchAll(WORD)) {
    const word = americanSpelling(m[0].replace(/['’]s$/, "").replace(/['’]/g, ""));
    if (word.length > 1 && !STOPWORDS.has(word)) out.add(stem(word));
  }
  return out;
}

/**
 * Weighted Dice coefficient of the content words: 1 = same words, 0 = none shared. A word of one
 * text that the other lacks counts as shared when the other's unshared words include a synonym
 * of it (`synonyms`, METEOR's synonym stage).
 */
export function lexicalOverlap(a: string, b: string, synonyms: SynonymTable = NO_SYNONYMS): number {
  const wa = contentWords(a);
  const wb = contentWords(b);
  const withSynonyms = !synonyms.empty;
  let shared = 0;
  let total = 0;
  for (const w of wa) {
    const x = wordWeight(w);
    total += x;
    if (wb.has(w) || (withSynonyms && matchesSynonym(w, wa, wb, synonyms))) shared += x;
  }
  for (const w of wb) {
    const x = wordWeight(w);
    total += x;
    if (wa.has(w) || (withSynonyms && matchesSynonym(w, wb, wa, synonyms))) shared += x;
  }
  // Two texts of only stopwords and numbers: nothing to compare, leave it to cosine and guards.
  return total > 0 ? shared / total : 1;
}

function matchesSynonym(w: string, mine: Set<string>, other: Set<string>, synonyms: SynonymTable): boolean {
  for (const v of other) if (!mine.has(v) && synonyms.related(w, v)) return true;
  return false;
}
