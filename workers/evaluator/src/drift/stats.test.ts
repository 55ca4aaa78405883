import { describe, expect, it } from "vitest";
import { binCounts, driftReport, klDivergence, psi, type Samples } from "./stats";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 0x1_0000_0000);
}

function samples(seed: number, n: number, shift: number): Samples {
  const r = rng(seed);
  const complexity = Array.from({ length: n }, () => Math.min(0.999, Math.max(0, r() * 0.5 + shift)));
  return {
    complexity,
    intent: complexity.map((c) => (c > 0.6 ? "coding" : "chat")),
    judgeScore: complexity.map((c) => 5 - Math.round(c * 3)),
    costPerRequest: complexity.map((c) => 0.0001 * (1 + c * 50)),
  };
}

describe("drift statistics", () => {
  it("is ~0 for the same distribution and positive for a shifted one", () => {
    expect(psi([10, 20, 30], [10, 20, 30])).toBeCloseTo(0, 12);
    expect(klDivergence([10, 20, 30], [10, 20, 30])).toBeCloseTo(0, 12);
    expect(psi([50, 50], [90, 10])).toBeGreaterThan(0.2);
    expect(Number.isFinite(psi([100, 0], [0, 100]))).toBe(true); // smoothing keeps it finite
  });

  it("bins values at their edges", () => {
    expect(binCounts([0, 0.1, 0.15, 0.95, 1], [0.1, 0.9])).toEqual([1, 2, 2]);
  });

  it("flags a synthetic shift in complexity, intent, scores and cost but not resampling noise", () => {
    const baseline = samples(1, 2000, 0);
    const same = driftReport(baseline, samples(2, 500, 0));
    expect(same.map((d) => d.metric)).toEqual(["complexity", "intent", "judge_score", "cost_per_request"]);
    expect(same.every((d) => d.psi < 0.1)).toBe(true);
    const shifted = driftReport(baseline, samples(3, 500, 0.4));
    expect(shifted.every((d) => d.psi > 0.2 && d.kl > 0)).toBe(true);
  });

  it("skips metrics without enough samples", () => {
    expect(driftReport(samples(1, 10, 0), samples(2, 10, 0))).toEqual([]);
  });
});
