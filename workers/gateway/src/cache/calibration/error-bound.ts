/**
 * The false-hit bound per similarity band, from correctness feedback counted per band.
 *
 * Structure: the chance that a guard-passing neighbour is a wrong answer does not grow with its
 * hit score (a closer match is not more often wrong). So the error rate of band b is at most the
 * pooled rate of any run of bands j..b below and including it, and the upper bound of band b may
 * use that pooled evidence: U(b) = min over runs j..b of the exact upper bound of the run. Bands
 * where few neighbours fall borrow the checks of the bands under them; a band with errors caps
 * every run that includes it. Runs are 1, 2, 4, 8, 16 or all bands long (each tested at
 * alpha / RUNS: Bonferroni over the runs tried). Where a band's own checks contradict the
 * structure (its own lower bound above the pooled upper bound), it gets its own bound only.
 *
 * Serving rule (fixed-sequence testing): bands are tested from the top down, each at the full
 * confidence, stopping at the first band not certified (U > delta); bands without checks of their
 * own are not tested, they follow from a certified band under them. The threshold in force is the
 * floor of the lowest band certified before the stop, so the served region is one interval.
 */
import { BAND_COUNT, bandFloor } from "./bands";
import { lowerBound, upperBound } from "../../stats/binomial-bound";

export interface BandCounts {
  /** Checked outcomes in this band (judge verdicts, shadow checks, client reports). */
  checks: number;
  /** Of those, answers found wrong. */
  wrong: number;
}

/** Run lengths tried below each band; the Bonferroni factor is their number. */
const RUNS = [1, 2, 4, 8, 16, BAND_COUNT] as const;

/** Confidence of every bound: 95%, shared among the runs tried. */
export const DEFAULT_ALPHA = 0.05;

export function emptyCounts(): BandCounts[] {
  return Array.from({ length: BAND_COUNT }, () => ({ checks: 0, wrong: 0 }));
}

/** U(b) for every band (1 where nothing is known). */
export function bandUpperBounds(counts: readonly BandCounts[], alpha = DEFAULT_ALPHA): number[] {
  const a = alpha / RUNS.length;
  return counts.map((own, b) => {
    let best = 1;
    for (const len of RUNS) {
      let checks = 0;
      let wrong = 0;
      for (let j = b; j > b - len && j >= 0; j--) {
        checks += counts[j]?.checks ?? 0;
        wrong += counts[j]?.wrong ?? 0;
      }
      if (checks > 0) best = Math.min(best, upperBound(wrong, checks, a));
    }
    if (own.wrong > 0 && lowerBound(own.wrong, own.checks, a) > best) return upperBound(own.wrong, own.checks, a);
    return best;
  });
}

/** Lowest certified band (fixed-sequence test from the top), or null when the first band tested fails. */
export function certifiedBand(counts: readonly BandCounts[], bounds: readonly number[], delta: number): number | null {
  let lowest: number | null = null;
  for (let b = bounds.length - 1; b >= 0; b--) {
    if ((counts[b]?.checks ?? 0) === 0) continue;
    if ((bounds[b] ?? 1) > delta) break;
    lowest = b;
  }
  return lowest;
}

export function certifiedThreshold(counts: readonly BandCounts[], bounds: readonly number[], delta: number): number | null {
  const band = certifiedBand(counts, bounds, delta);
  return band === null ? null : bandFloor(band);
}

/**
 * Zero-error checks a run needs before its bound can reach delta: the shortest possible cold
 * start, and the point after which the bound alone decides.
 */
export function checksToCertify(delta: number, alpha = DEFAULT_ALPHA): number {
  return Math.ceil(Math.log(alpha / RUNS.length) / Math.log(1 - delta));
}

/** Evidence that bands from `fromBand` up are worse than delta (lower bound above it). */
export function provenWorse(counts: readonly BandCounts[], fromBand: number, delta: number, alpha = DEFAULT_ALPHA): boolean {
  let checks = 0;
  let wrong = 0;
  for (let b = Math.max(0, fromBand); b < counts.length; b++) {
    checks += counts[b]?.checks ?? 0;
    wrong += counts[b]?.wrong ?? 0;
  }
  return lowerBound(wrong, checks, alpha) > delta;
}
