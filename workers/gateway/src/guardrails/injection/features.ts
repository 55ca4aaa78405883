/**
 * Hashed bag-of-n-grams (the "hashing trick"): word unigrams and bigrams plus character
 * 4-grams (which carry non-space-separated languages such as Chinese and survive small
 * spelling variations). No vocabulary file to ship; collisions are tolerated by the model.
 */
export const FEATURE_BITS = 15;
export const DIM = 1 << FEATURE_BITS;

function fnv1a(s: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const WORD = /[\p{L}\p{N}']+/gu;

const counts = new Float32Array(DIM);

/**
 * Calls `visit(index, value)` for each feature of the text, L2-normalised log counts. Uses one
 * module-level count buffer instead of a Map: this is the hot path of every screened message.
 */
export function forEachFeature(lowerText: string, visit: (i: number, v: number) => void): void {
  const touched: number[] = [];
  const add = (key: string, seed: number): void => {
    const i = fnv1a(key, seed) & (DIM - 1);
    if (counts[i] === 0) touched.push(i);
    counts[i] = (counts[i] ?? 0) + 1;
  };
  const words = lowerText.match(WORD) ?? [];
  for (let i = 0; i < words.length; i++) {
    add(words[i] ?? "", 1);
    if (i > 0) add(`${words[i - 1]} ${words[i]}`, 2);
  }
  const squashed = ` ${words.join(" ")} `;
  for (let i = 0; i + 4 <= squashed.length; i++) add(squashed.slice(i, i + 4), 3);
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
