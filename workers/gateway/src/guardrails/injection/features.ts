/**
 * Hashed bag-of-n-grams (the "hashing trick"): word unigrams and bigrams plus character
 * 4-grams (which carry non-space-separated languages such as Chinese and survive small
 * spelling variations), plus cross-lingual concepts and concept pairs (concepts.ts). No
 * vocabulary file to ship; collisions are tolerated by the model.
 */
import { fnv1aStep } from "../../../../../shared/hash/fnv1a";
import { conceptsIn } from "./concepts";
export const FEATURE_BITS = 15;
export const DIM = 1 << FEATURE_BITS;

const WORD = /[\p{L}\p{N}']+/gu;

const counts = new Float32Array(DIM);

/**
 * Calls `visit(index, value)` for each feature of the text, L2-normalised log counts. Uses one
 * module-level count buffer and range hashing instead of a Map and substrings: this is the
 * hot path of every screened message.
 */
export function forEachFeature(lowerText: string, visit: (i: number, v: number) => void, concepts: readonly number[] = conceptsIn(lowerText)): void {
  const touched: number[] = [];
  const bump = (h: number): void => {
    const i = (h >>> 0) & (DIM - 1);
    if (counts[i] === 0) touched.push(i);
    counts[i] = (counts[i] ?? 0) + 1;
  };
  const words = lowerText.match(WORD) ?? [];
  const squashed = ` ${words.join(" ")} `;
  // Word boundaries inside `squashed`, so unigrams and bigrams hash ranges of one string.
  let pos = 1;
  let prevStart = -1;
  for (const w of words) {
    const end = pos + w.length;
    bump(fnv1aStep(0x811c9dc5 ^ 1, squashed, pos, end));
    if (prevStart >= 0) bump(fnv1aStep(0x811c9dc5 ^ 2, squashed, prevStart, end));
    prevStart = pos;
    pos = end + 1;
  }
  for (let i = 0; i + 4 <= squashed.length; i++) bump(fnv1aStep(0x811c9dc5 ^ 3, squashed, i, i + 4));
  // Concepts (seed 4) and unordered concept pairs (seed 5): word order differs across languages.
  for (let a = 0; a < concepts.length; a++) {
    const ca = concepts[a] ?? 0;
    bump(Math.imul(0x811c9dc5 ^ 4, 0x01000193) ^ Math.imul(ca + 1, 0x9e3779b1));
    for (let b = a + 1; b < concepts.length; b++) bump(Math.imul(0x811c9dc5 ^ 5, 0x01000193) ^ Math.imul(ca * 64 + (concepts[b] ?? 0) + 1, 0x85ebca6b));
  }
  let norm = 0;
  for (const i of touched) {
    const x = Math.log1p(counts[i] ?? 0);
    counts[i] = x;
    norm += x * x;
  }
  norm = Math.sqrt(norm) || 1;
  for (const i of touched) {
    visit(i, (counts[i] ?? 0) / norm);
    counts[i] = 0;
  }
}

/** Sparse feature vector: index -> value, L2-normalised so long prompts are comparable to short ones. */
export function featurize(lowerText: string): Map<number, number> {
  const f = new Map<number, number>();
  forEachFeature(lowerText, (i, v) => f.set(i, v));
  return f;
}
