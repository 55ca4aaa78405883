/**
 * The feature vector the router model reads, computed by this one function at train time
 * (scripts/router) and serve time (the Worker). Layout: [hashed n-grams | numeric].
 * Hashed part: word unigrams + bigrams of the last user turn, char 3-grams of its words, and
 * context unigrams in their own namespace; values are log-counts, L2-normalised per block so
 * long prompts do not dominate. FEATURE_SPEC is hashed into the model manifest: a model is
 * only loaded when its spec hash equals the code's.
 */
import { fnv1aStep, FNV_OFFSET } from "../../../../../shared/hash/fnv1a";
import { normalizeText, wordTokens } from "./normalize";
import { NUMERIC_FEATURES, numericFeatures } from "./numeric";

export const FEATURE_SPEC = {
  version: 3,
  hash: "fnv1a32",
  hashDim: 4096,
  blocks: ["w1", "w2", "c3", "ctx"],
  maxPromptChars: 8000,
  numeric: NUMERIC_FEATURES,
} as const;

export const HASH_DIM = FEATURE_SPEC.hashDim;
export const FEATURE_DIM = HASH_DIM + NUMERIC_FEATURES.length;

export interface FeatureInput {
  /** The (redacted) last user turn. */
  prompt: string;
  /** Earlier turns as "role: text" lines (see contextFromMessages). */
  context?: string;
}

// Hashing runs without building n-gram strings: FNV-1a stepped over the namespace, then the
// characters, gives exactly fnv1a(ns + gram) (the spec) at a fraction of the cost. The scratch
// buffers are module-level: featurize is synchronous, so no two calls interleave.
const counts = new Float32Array(HASH_DIM);
const touched: number[] = [];

function bump(h: number): void {
  const b = (h >>> 0) % HASH_DIM;
  if (counts[b] === 0) touched.push(b);
  counts[b]! += 1;
}

// Buckets of `out` written so far (first writes only), when the caller wants the vector sparse.
let written: number[] | null = null;

/** Adds the block collected in `counts` as log-counts with unit L2 norm, then clears it. */
function flush(out: Float32Array): void {
  let norm = 0;
  for (const b of touched) norm += Math.log1p(counts[b]!) ** 2;
  norm = Math.sqrt(norm) || 1;
  for (const b of touched) {
    if (written && out[b] === 0) written.push(b);
    out[b] = out[b]! + Math.log1p(counts[b]!) / norm;
    counts[b] = 0;
  }
  touched.length = 0;
}

function addWords(out: Float32Array, tokens: readonly string[], ns: string): void {
  const seed = fnv1aStep(FNV_OFFSET, ns);
  for (const t of tokens) bump(fnv1aStep(seed, t));
  flush(out);
}

function addBigrams(out: Float32Array, tokens: readonly string[]): void {
  const seed = fnv1aStep(FNV_OFFSET, "w2:");
  for (let i = 1; i < tokens.length; i++) bump(fnv1aStep(Math.imul(fnv1aStep(seed, tokens[i - 1]!) ^ 32, 0x01000193), tokens[i]!));
  flush(out);
}

/** Char 3-grams of each word padded as "<word>". */
function addCharGrams(out: Float32Array, tokens: readonly string[]): void {
  const seed = fnv1aStep(FNV_OFFSET, "c3:");
  for (const t of tokens) {
    if (t === "<num>") continue;
    // Grams of "<" + t + ">" as a sliding window of char codes, without building strings
    // or closures (bundlers' keepNames wraps every inner arrow function: costly per word).
    let a = 60;
    let b = t.charCodeAt(0);
    for (let j = 1; j <= t.length; j++) {
      const c = j === t.length ? 62 : t.charCodeAt(j);
      bump(Math.imul(Math.imul(Math.imul(seed ^ a, 0x01000193) ^ b, 0x01000193) ^ c, 0x01000193));
      a = b;
      b = c;
    }
  }
  flush(out);
}

/** Turns in the conversation: one for the prompt plus each "user:" line of the context. */
export function turnCount(context: string): number {
  return 1 + (context.match(/^user:/gm) ?? []).length;
}

export function featurize(input: FeatureInput): Float32Array {
  return fill(input, new Float32Array(FEATURE_DIM));
}

/** The non-zero entries of featurize(input), in index order. */
export interface SparseFeatures {
  index: Int32Array;
  value: Float32Array;
}

// featurizeSparse's dense accumulator: all zero between calls (featurize is synchronous).
const scratch = new Float32Array(FEATURE_DIM);

/**
 * featurize(input) as its non-zero entries (a few dozen of 4,127), without allocating or
 * scanning the dense vector: the request path's form (the router's forward pass reads only these).
 */
export function featurizeSparse(input: FeatureInput): SparseFeatures {
  const seen: number[] = [];
  written = seen;
  try {
    fill(input, scratch);
  } catch (err) {
    for (const b of seen) scratch[b] = 0;
    scratch.fill(0, HASH_DIM);
    throw err;
  } finally {
    written = null;
  }
  for (let k = HASH_DIM; k < FEATURE_DIM; k++) if (scratch[k] !== 0) seen.push(k);
  seen.sort((a, b) => a - b);
  const index = Int32Array.from(seen);
  const value = new Float32Array(index.length);
  for (let k = 0; k < index.length; k++) {
    value[k] = scratch[index[k]!]!;
    scratch[index[k]!] = 0;
  }
  return { index, value };
}

function fill(input: FeatureInput, out: Float32Array): Float32Array {
  // Long pastes are truncated head+tail: the ask is usually at one end; the size feature still sees the full length.
  const full = input.prompt;
  const raw = full.length > FEATURE_SPEC.maxPromptChars ? full.slice(0, 6000) + "\n" + full.slice(-2000) : full;
  const context = input.context ?? "";
  const tokens = wordTokens(normalizeText(raw));
  addWords(out, tokens, "w1:");
  addBigrams(out, tokens);
  addCharGrams(out, tokens);
  if (context) addWords(out, wordTokens(normalizeText(context.slice(-4000))), "ctx:");
  const numeric = numericFeatures({ raw: full.length > raw.length ? full.slice(0, 20000) : raw, tokens, context, turns: turnCount(context) });
  out.set(numeric, HASH_DIM);
  return out;
}
