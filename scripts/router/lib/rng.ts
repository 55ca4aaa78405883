/** Seeded PRNG (mulberry32): the corpus and the trainer are reproducible bit for bit. */
import type { Rng } from "../../../shared/random";
export { mulberry32, pick, type Rng } from "../../../shared/random";

export const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

/** Fisher-Yates in place with the given rng. */
export function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
