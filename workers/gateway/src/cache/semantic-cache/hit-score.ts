/**
 * The score a semantic neighbour must bring up to the threshold: embedding cosine, minus a
 * penalty for the (rarity-weighted) share of content words the two questions do not have in
 * common. With the same content words the score is the cosine; a question that swaps its key
 * word for a neighbour in embedding space ("swim" -> "skate", "bread" -> "cake") loses
 * up to `lexicalWeight`. Never above the cosine, so the vector index can still prune at the
 * threshold itself. The default weight
 * (settings.ts) is chosen by the rule in bench/cache.ts, see docs/benchmarks/cache.md.
 */
import { lexicalOverlap } from "./lexical-overlap";

export function hitScore(cosine: number, newText: string, cachedText: string, lexicalWeight: number): number {
  if (lexicalWeight <= 0) return cosine;
  return cosine - lexicalWeight * (1 - lexicalOverlap(newText, cachedText));
}
