/**
 * Deterministic seeding: answers must be predictable from (model, messages) alone, so tests can
 * compute them and a streamed and a non-streamed call return the same text.
 */
import type { Rng } from "../../../shared/random";

/** FNV-1a 32-bit over UTF-16 code units: fast, no allocation, good enough spread for seeding. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export { mulberry32 as seededRng, pick, type Rng } from "../../../shared/random";

export const intBetween = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
