/** Seeded helpers over the project's PRNG (shared/random.ts), so generated corpora are identical on every rebuild. */
import { mulberry32, pick, type Rng } from "../../../../shared/random";

export type { Rng };
export { pick };
export const rng = mulberry32;
export const chance = (r: Rng, p: number): boolean => r() < p;
export const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
export const digits = (r: Rng, n: number): string => Array.from({ length: n }, () => String(int(r, 0, 9))).join("");
