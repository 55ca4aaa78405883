import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../shared/random";
import { fitLogistic, logit, sigmoid } from "./logistic";

function synthetic(n: number, seed: number) {
  const rnd = mulberry32(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rnd();
    const b = rnd();
    x.push([a, b, 0]);
    y.push(rnd() < sigmoid(-1 + 3 * a - 2 * b) ? 1 : 0);
  }
  return { x, y, w: y.map(() => 1) };
}

describe("fitLogistic", () => {
  it("recovers the generating weights and is deterministic", () => {
    const { x, y, w } = synthetic(4000, 7);
    const fit = fitLogistic(x, y, w, { l2: 1e-5 });
    expect(fit.bias).toBeCloseTo(-1, 0);
    expect(fit.weights[0]).toBeCloseTo(3, 0);
    expect(fit.weights[1]).toBeCloseTo(-2, 0);
    expect(fitLogistic(x, y, w, { l2: 1e-5 })).toEqual(fit);
  });

  it("keeps sign-constrained weights at 0 or above, pinned ones at their prior, and can drop the bias", () => {
    const { x, y, w } = synthetic(2000, 3);
    const fit = fitLogistic(x, y, w, { l2: 1e-4, nonNegative: new Set([1]), frozen: new Set([2]), priorMean: [0, 0, 1.5] });
    expect(fit.weights[1]).toBe(0);
    expect(fit.weights[2]).toBe(1.5);
    expect(fitLogistic(x, y, w, { l2: 1e-4, fitBias: false }).bias).toBe(0);
  });

  it("pulls weights toward their prior mean when the data say nothing", () => {
    const { x, y, w } = synthetic(500, 11);
    // Feature 2 is always 0: its weight stays where the prior puts it.
    const fit = fitLogistic(x, y, w, { l2: 1e-3, priorMean: [0, 0, 2] });
    expect(fit.weights[2]).toBeCloseTo(2, 6);
    expect(logit(fit, [0, 0, 1]) - logit(fit, [0, 0, 0])).toBeCloseTo(2, 6);
  });
});
