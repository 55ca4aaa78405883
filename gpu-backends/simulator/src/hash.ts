/**
 * Deterministic seeding: answers must be predictable from (model, messages) alone, so tests can
 * compute them and a streamed and a non-streamed call return the same text.
 */
import type { Rng } from "../../../shared/random";


export { mulberry32 as seededRng, pick, type Rng } from "../../../shared/random";

export const intBetween = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
