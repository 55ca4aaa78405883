import { describe, expect, it } from "vitest";
import { BAND_COUNT, bandFloor, bandFromKey, bandKey, bandOf } from "./bands";
import { bandUpperBounds, certifiedBand, certifiedThreshold, checksToCertify, emptyCounts, provenWorse } from "./error-bound";

const withChecks = (entries: Array<[score: number, checks: number, wrong?: number]>) => {
  const counts = emptyCounts();
  for (const [score, checks, wrong = 0] of entries) {
    const c = counts[bandOf(score)]!;
    c.checks += checks;
    c.wrong += wrong;
  }
  return counts;
};

describe("similarity bands", () => {
  it("cuts the hit score into 0.02 bands from 0.5, and round-trips stored keys", () => {
    expect(bandOf(0.49)).toBe(-1);
    expect(bandOf(0.5)).toBe(0);
    expect(bandOf(0.78)).toBe(14);
    expect(bandOf(0.7999)).toBe(14);
    expect(bandOf(1)).toBe(BAND_COUNT - 1);
    expect(bandFloor(14)).toBe(0.78);
    expect(bandFromKey(bandKey(14))).toBe(14);
    expect(bandFromKey(781)).toBe(-1);
    expect(bandOf(Number.NaN)).toBe(-1);
  });
});

describe("the pooled band bound", () => {
  it("certifies nothing without feedback", () => {
    expect(certifiedThreshold(emptyCounts(), bandUpperBounds(emptyCounts()), 0.01)).toBeNull();
  });

  it("lets a high band borrow the checks of the clean bands under it", () => {
    // 600 clean checks spread over 0.80-0.86; nothing at 0.90 itself.
    const counts = withChecks([[0.8, 150], [0.82, 150], [0.84, 150], [0.86, 150]]);
    const bounds = bandUpperBounds(counts);
    expect(bounds[bandOf(0.9)]).toBeLessThan(0.01);
    // A band alone with 150 clean checks cannot show 1%.
    expect(bounds[bandOf(0.8)]).toBeGreaterThan(0.01);
  });

  it("does not let a band's errors be diluted by the clean bands above it", () => {
    const counts = withChecks([[0.7, 400, 40], [0.72, 600], [0.74, 600]]);
    const bounds = bandUpperBounds(counts);
    expect(bounds[bandOf(0.7)]).toBeGreaterThan(0.05);
    expect(bounds[bandOf(0.74)]).toBeLessThan(0.01);
    expect(certifiedThreshold(counts, bounds, 0.01)).toBe(0.72);
  });

  it("serves one interval: a band its own checks prove bad stops the run from above, however clean the bands under it", () => {
    const counts = withChecks([[0.8, 2000], [0.82, 100, 10], [0.9, 2000]]);
    const bounds = bandUpperBounds(counts);
    expect(bounds[bandOf(0.8)]).toBeLessThan(0.01);
    expect(bounds[bandOf(0.82)]).toBeGreaterThan(0.05);
    expect(certifiedThreshold(counts, bounds, 0.01)).toBe(0.9);
  });

  it("serves the bands above a certified one even without checks of their own", () => {
    const counts = withChecks([[0.7, 1000]]);
    expect(certifiedThreshold(counts, bandUpperBounds(counts), 0.01)).toBe(0.7);
  });

  it("needs more clean checks for a smaller delta", () => {
    expect(checksToCertify(0.005)).toBeGreaterThan(checksToCertify(0.01));
    expect(checksToCertify(0.01)).toBeGreaterThan(checksToCertify(0.02));
    const n = checksToCertify(0.01);
    const enough = withChecks([[0.9, n]]);
    const short = withChecks([[0.9, n - 1]]);
    expect(certifiedBand(enough, bandUpperBounds(enough), 0.01)).toBe(bandOf(0.9));
    expect(certifiedBand(short, bandUpperBounds(short), 0.01)).toBeNull();
  });

  it("proves a region worse than delta only with errors to show for it", () => {
    expect(provenWorse(withChecks([[0.8, 200, 10]]), bandOf(0.78), 0.01)).toBe(true);
    expect(provenWorse(withChecks([[0.8, 200, 1]]), bandOf(0.78), 0.01)).toBe(false);
    expect(provenWorse(withChecks([[0.7, 200, 50]]), bandOf(0.78), 0.01)).toBe(false);
  });
});
