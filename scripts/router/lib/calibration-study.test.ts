// The calibration study's pieces on synthetic numbers of our own (no rows of the shared sets).
import { describe, expect, it } from "vitest";
import type { OutcomeRow } from "../outcomes/outcome-row";
import { mulberry32 } from "./rng";
import { budgetSmall, labelFreeBand, labelledBand, labelledCutoff, meanMatchedOffset, netLosses, qualityKept, withinGroupSlope } from "./calibration-study";

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const row = (weakOk: boolean, strongOk: boolean): OutcomeRow => ({ prompt: "p", family: "f", group: "g", label: !weakOk && strongOk ? 1 : 0, weakOk, strongOk, pair: "mixtral-gpt4" });

describe("withinGroupSlope", () => {
  it("recovers the slope shared by groups whose base rates differ, where a pooled fit would not", () => {
    const rng = mulberry32(5);
    const z: number[] = [];
    const y: number[] = [];
    const g: string[] = [];
    // Group "hard" sits at higher z and a much higher base rate: pooled, z would look steeper.
    for (const [name, shift, offset] of [["easy", -1, -2], ["hard", 1, 1]] as const)
      for (let i = 0; i < 4000; i++) {
        const v = shift + (rng() - 0.5) * 2;
        z.push(v), g.push(name), y.push(rng() < sigmoid(0.7 * v + offset) ? 1 : 0);
      }
    expect(withinGroupSlope(z, y, g)).toBeCloseTo(0.7, 0);
    expect(Math.abs(withinGroupSlope(z, y, g) - 0.7)).toBeLessThan(0.15);
  });
});

describe("meanMatchedOffset", () => {
  it("finds the offset whose mean probability is the one asked for", () => {
    const z = [-2, -1, 0, 1, 2];
    const m = meanMatchedOffset(z, 1.5, 0.3);
    expect(z.reduce((s, v) => s + sigmoid(1.5 * v + m), 0) / z.length).toBeCloseTo(0.3, 6);
  });
});

describe("budgetSmall and qualityKept", () => {
  it("sends the lowest-ordered rows to the small tier until the budget is spent", () => {
    expect(budgetSmall([0.3, 0.1, 0.2, 0.4], [0.1, 0.1, 0.1, 0.1], 0.25)).toEqual([false, true, true, false]);
    expect(budgetSmall([0.3, 0.1], [1, 1], 0)).toEqual([false, false]);
  });

  it("counts right answers served against all-frontier's", () => {
    const rows = [row(true, true), row(false, true), row(true, false), row(false, true)];
    expect(qualityKept(rows, [false, false, false, false])).toBeCloseTo(1);
    expect(qualityKept(rows, [true, true, false, false])).toBeCloseTo(2 / 3);
    // The small tier right where the frontier is wrong counts as a win: above 100%.
    expect(qualityKept(rows, [true, false, true, false])).toBeCloseTo(4 / 3);
  });
});

describe("label-free bands", () => {
  const z = [-1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2];
  const s = { z, loss: { a: 0.8, b: -1.2 }, win: { a: -0.3, b: -6 }, lossSlope: 2, winSlope: -0.3 };

  it("keeps the pooled estimate's mean loss when the slope is steepened, and spreads it", () => {
    const pooled = netLosses(s, "pooled");
    const within = netLosses(s, "within");
    const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
    expect(spread(within)).toBeGreaterThan(spread(pooled));
    expect(within.reduce((a, b) => a + b, 0)).toBeCloseTo(pooled.reduce((a, b) => a + b, 0), 1);
  });

  it("sends more rows small for a looser target", () => {
    const rows = z.map((_, i) => row(i % 3 !== 0, true));
    const loose = labelFreeBand(rows, s, "pooled", 0.8, 0.85);
    const strict = labelFreeBand(rows, s, "pooled", 0.97, 0.85);
    expect(loose.smallShare).toBeGreaterThan(strict.smallShare);
  });
});

describe("labelled bands", () => {
  it("reads the largest cut-off that keeps the target on the sample", () => {
    // Sorted by z: the third row is the first the small tier gets wrong.
    const rows = [row(true, true), row(true, true), row(false, true), row(true, true)];
    expect(labelledCutoff(rows, [0.1, 0.2, 0.3, 0.4], 1)).toBe(0.2);
    expect(labelledCutoff(rows, [0.1, 0.2, 0.3, 0.4], 0.75)).toBe(0.4);
    expect(labelledCutoff([row(false, true)], [0.1], 0.99)).toBe(-Infinity);
  });

  it("is deterministic for a seed and lands near the target when ranking is perfect", () => {
    // Small tier right exactly on the lower 60% of z: any cut-off inside that band keeps 100%.
    const z = Array.from({ length: 400 }, (_, i) => i / 400);
    const rows = z.map((v) => row(v < 0.6, true));
    const a = labelledBand(rows, z, 0.95, 1, 5, 9);
    expect(labelledBand(rows, z, 0.95, 1, 5, 9)).toEqual(a);
    expect(a.quality).toBeGreaterThanOrEqual(0.93);
    expect(a.smallShare).toBeGreaterThan(0.55);
  });
});
