/**
 * Local sentence embedder that runs anywhere (workerd, Node): average of int8 word vectors (GloVe,
 * or a sentence encoder distilled into word vectors: the artifact's kind, part of the id),
 * optionally SIF-weighted, with the common component removed (Arora, Liang, Ma 2017, "A Simple
 * but Tough-to-Beat Baseline for Sentence Embeddings"). Words outside the pruned vocabulary first
 * try simple suffix variants, then get a deterministic pseudo-random vector from a hash, so two
 * texts sharing the same rare token (a product name, an error code) still move together.
 */
import { fnv1a } from "../../../../../../shared/hash/fnv1a";
import { normalize, type Embedder } from "../embedder";
import { decodeArtifact, type WordVectorTable } from "./artifact-format";
import { tokenize, variants } from "./tokenize";

export interface LocalEmbedderOptions {
  /**
   * "uniform" (default): plain average. "sif": a/(a+p(w)) frequency weights. At the cache's
   * operating point (<= 1% false hits) uniform hit more paraphrases in the benchmark: in short
   * questions the function words SIF mutes ("to", "from", "off") often carry the meaning.
   */
  weighting?: "uniform" | "sif";
  /** Remove the common component (default on). */
  removeCommon?: boolean;
}

const PLAIN_WORD = /^[a-z0-9]+$/;
const MAX_FALLBACKS = 20_000;

export class LocalEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  private readonly table: WordVectorTable;
  private readonly index: Map<string, number>;
  private readonly sif: boolean;
  private readonly removeCommon: boolean;
  /** Variant lookups of words outside the vocabulary: index, or -1 for none (bounded, cleared when full). */
  private readonly fallbacks = new Map<string, number>();

  constructor(artifact: ArrayBuffer | Uint8Array, options: LocalEmbedderOptions = {}) {
    this.table = decodeArtifact(artifact);
    this.dimensions = this.table.dims;
    this.sif = options.weighting === "sif";
    this.removeCommon = options.removeCommon ?? true;
    this.index = new Map(this.table.words.map((w, i) => [w, i]));
    this.id = `local-${this.table.kind}${this.dimensions}-${this.sif ? "sif" : "avg"}${this.removeCommon ? "" : "-keepcc"}-v${this.table.vocab}`;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }

  embedOne(text: string): Float32Array {
    return this.finish(this.accumulate(text));
  }

  /**
   * The unnormalised sum of a text's word vectors, before the common component is removed.
   * Sums are additive: the pieces of a text split between tokens (sentences) add up to the
   * text's own sum, so a caller that needs both (the reranker: a chunk and its sentences)
   * tokenizes once. `into` is added to in place.
   */
  accumulate(text: string, into: Float32Array = new Float32Array(this.dimensions)): Float32Array {
    const { dims, vectors, scales, weights } = this.table;
    const acc = into;
    // A bare lower-case word is its own only token (the reranker embeds thousands per query).
    const tokens = PLAIN_WORD.test(text) ? [text] : tokenize(text);
    for (const token of tokens) {
      const idx = this.lookup(token);
      if (idx === undefined) {
        // The source vocabulary has no one-letter words ("a", "i"): they carry no meaning to
        // add, whereas a hashed vector would give them the weight of a rare word.
        if (token.length > 1) addHashed(acc, token, this.table.hashNorm);
        continue;
      }
      const w = (this.sif ? (weights[idx] ?? 1) : 1) * (scales[idx] ?? 0);
      const base = idx * dims;
      for (let i = 0; i < dims; i++) acc[i] = (acc[i] ?? 0) + w * (vectors[base + i] ?? 0);
    }
    return acc;
  }

  /** The embedding of an accumulated sum (a new array; `acc` is left as it is). */
  finish(acc: Float32Array): Float32Array {
    const { dims, commonComponent } = this.table;
    const out = Float32Array.from(acc);
    if (this.removeCommon) {
      let dot = 0;
      for (let i = 0; i < dims; i++) dot += (out[i] ?? 0) * (commonComponent[i] ?? 0);
      for (let i = 0; i < dims; i++) out[i] = (out[i] ?? 0) - dot * (commonComponent[i] ?? 0);
    }
    return normalize(out);
  }

  private lookup(token: string): number | undefined {
    const direct = this.index.get(token);
    if (direct !== undefined) return direct;
    // Out-of-vocabulary words recur (names, codes, domain terms): their variant search is remembered.
    const known = this.fallbacks.get(token);
    if (known !== undefined) return known < 0 ? undefined : known;
    let found = -1;
    for (const v of variants(token)) {
      const idx = this.index.get(v);
      if (idx !== undefined) {
        found = idx;
        break;
      }
    }
    if (this.fallbacks.size >= MAX_FALLBACKS) this.fallbacks.clear();
    this.fallbacks.set(token, found);
    return found < 0 ? undefined : found;
  }
}

/** FNV-1a seeded xorshift: a fixed random direction per unknown token, weight 1 (it is rare). */
function addHashed(acc: Float32Array, token: string, norm: number): void {
  let h = fnv1a(token);
  const v = new Float32Array(acc.length);
  let sq = 0;
  for (let i = 0; i < v.length; i++) {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    const x = ((h >>> 0) / 4294967296) * 2 - 1;
    v[i] = x;
    sq += x * x;
  }
  const k = norm / Math.sqrt(sq || 1);
  for (let i = 0; i < v.length; i++) acc[i] = (acc[i] ?? 0) + k * (v[i] ?? 0);
}
