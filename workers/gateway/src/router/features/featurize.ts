/**
 * The feature vector the router model reads, computed by this one function at train time
 * (scripts/router) and serve time (the Worker). Layout: [hashed n-grams | numeric].
 * Hashed part: word unigrams + bigrams of the last user turn, char 3-grams of its words, and
 * context unigrams in their own namespace; values are log-counts, L2-normalised per block so
 * long prompts do not dominate. FEATURE_SPEC is hashed into the model manifest: a model is
 * only loaded when its spec hash equals the code's.
 */
import { fnv1a } from "./hash";
import { normalizeText, wordTokens } from "./normalize";
import { NUMERIC_FEATURES, numericFeatures } from "./numeric";

export const FEATURE_SPEC = {
  version: 1,
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

function addBlock(out: Float32Array, keys: readonly string[], ns: string): void {
  const counts = new Map<number, number>();
  for (const k of keys) {
    const b = fnv1a(ns + k) % HASH_DIM;
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  let norm = 0;
  for (const c of counts.values()) norm += Math.log1p(c) ** 2;
  norm = Math.sqrt(norm) || 1;
  for (const [b, c] of counts) out[b] = (out[b] ?? 0) + Math.log1p(c) / norm;
}

function charGrams(tokens: readonly string[]): string[] {
  const grams: string[] = [];
  for (const t of tokens) {
    if (t === "<num>") continue;
    const w = `<${t}>`;
    for (let i = 0; i + 3 <= w.length; i++) grams.push(w.slice(i, i + 3));
  }
  return grams;
}

/** Turns in the conversation: one for the prompt plus each "user:" line of the context. */
export function turnCount(context: string): number {
  return 1 + (context.match(/^user:/gm) ?? []).length;
}

export function featurize(input: FeatureInput): Float32Array {
  // Long pastes are truncated head+tail: the ask is usually at one end; the size feature still sees the full length.
  const full = input.prompt;
  const raw = full.length > FEATURE_SPEC.maxPromptChars ? full.slice(0, 6000) + "\n" + full.slice(-2000) : full;
  const context = input.context ?? "";
  const tokens = wordTokens(normalizeText(raw));
  const out = new Float32Array(FEATURE_DIM);
  addBlock(out, tokens, "w1:");
  addBlock(out, tokens.slice(1).map((t, i) => `${tokens[i]} ${t}`), "w2:");
  addBlock(out, charGrams(tokens), "c3:");
  if (context) addBlock(out, wordTokens(normalizeText(context.slice(-4000))), "ctx:");
  const numeric = numericFeatures({ raw: full.length > raw.length ? full.slice(0, 20000) : raw, tokens, context, turns: turnCount(context) });
  out.set(numeric, HASH_DIM);
  return out;
}
