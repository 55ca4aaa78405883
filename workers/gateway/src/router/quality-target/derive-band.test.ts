import { describe, expect, it } from "vitest";
import { budgetBand, DEFAULT_FRONTIER_QUALITY, massBelow, MIN_JUDGED_FOR_QUALITY, qualityTargetBand } from "./derive-band";
import { mergeBins, summaryOf as summary } from "../../../../../shared/router-traffic/traffic-summary";
import { netLoss, winCurveOf, winProbability } from "./win-curve";

const opts = { target: 0.95, frontierTier: "frontier", min: 0.05, max: 0.5, minRequests: 10 };
// 100 requests: 40 easy ones at 0.1, 60 hard ones at 0.3 (mean 0.22).
const mixed = summary([...new Array(40).fill(0.1), ...new Array(60).fill(0.3)]);

describe("qualityTargetBand", () => {
  it("sends the lowest complexities to the small tier until their summed P(loss) reaches the budget", () => {
    // Budget (1 - 0.95) x 0.85 x 100 = 4.25 expected losses: 40 easy requests cost 4.0, then 0.25 / 0.3 of a hard one.
    const b = qualityTargetBand(mixed, opts);
    expect(b).not.toBeNull();
    expect(b!.frontierQualitySource).toBe("default");
    expect(b!.frontierQuality).toBe(DEFAULT_FRONTIER_QUALITY);
    expect(b!.below).toBeGreaterThan(0.1);
    expect(b!.below).toBeLessThan(0.305);
    expect(b!.smallShare).toBeCloseTo(0.4 + 0.25 / 0.3 / 100, 3);
    expect(b!.predictedQuality).toBeCloseTo(0.95, 3);
  });

  it("moves with the traffic: easier traffic gets a higher band at the same target", () => {
    const easier = summary([...new Array(80).fill(0.1), ...new Array(20).fill(0.3)]);
    const harder = summary([...new Array(10).fill(0.1), ...new Array(90).fill(0.3)]);
    const [e, h] = [qualityTargetBand(easier, opts)!, qualityTargetBand(harder, opts)!];
    expect(e.smallShare).toBeGreaterThan(h.smallShare);
    // Every easy request fits when there are only 10 of them (1.0 of 4.25), and part of the hard ones too.
    expect(h.below).toBeGreaterThan(0.3);
  });

  it("is stricter for a stricter target and for a weaker frontier", () => {
    const strict = qualityTargetBand(mixed, { ...opts, target: 0.99 })!;
    expect(strict.smallShare).toBeLessThan(qualityTargetBand(mixed, opts)!.smallShare);
    const weak = qualityTargetBand(mixed, { ...opts, frontierQuality: 0.5 })!;
    expect(weak.frontierQualitySource).toBe("setting");
    expect(weak.smallShare).toBeLessThan(qualityTargetBand(mixed, opts)!.smallShare);
  });

  it("uses the judged pass rate of the frontier tier once enough answers were judged", () => {
    const few = summary([0.1, 0.3, 0.3], { frontier: { judged: MIN_JUDGED_FOR_QUALITY - 1, passed: 10 } });
    expect(qualityTargetBand(few, { ...opts, minRequests: 1 })!.frontierQualitySource).toBe("default");
    const many = summary([0.1, 0.3, 0.3], { frontier: { judged: 200, passed: 180 }, small: { judged: 500, passed: 100 } });
    expect(qualityTargetBand(many, { ...opts, minRequests: 1 })).toMatchObject({ frontierQualitySource: "judged", frontierQuality: 0.9 });
  });

  it("clamps to [min, max] and says so", () => {
    const trivial = summary(new Array(50).fill(0.01));
    expect(qualityTargetBand(trivial, opts)).toMatchObject({ below: 0.5, clamped: true, smallShare: 1 });
    // Target 1 leaves no budget: the band stops at the first request, then the floor lifts it.
    expect(qualityTargetBand(summary(new Array(50).fill(0.3)), { ...opts, target: 1 })).toMatchObject({ below: 0.3, clamped: false, smallShare: 0 });
    expect(qualityTargetBand(summary(new Array(50).fill(0.01)), { ...opts, target: 1 })).toMatchObject({ below: 0.05, clamped: true, smallShare: 1 });
  });

  it("is a cold start (null) without a summary or below the minimum number of requests", () => {
    expect(qualityTargetBand(null, opts)).toBeNull();
    expect(qualityTargetBand(summary([0.1, 0.2]), opts)).toBeNull();
  });
});

describe("qualityTargetBand with the net loss", () => {
  // P(small better) = 2% at complexity 0.1, 6% at 0.3 (rising with difficulty, as on the pooled sets).
  const wins = { alpha: Math.log((0.06 / 0.94) / (0.02 / 0.98)) / Math.log((0.3 / 0.7) / (0.1 / 0.9)), beta: 0 };
  wins.beta = Math.log(0.02 / 0.98) - wins.alpha * Math.log(0.1 / 0.9);

  it("spends the budget on P(small worse) − P(small better), so more requests fit and the prediction is the net one", () => {
    expect(winProbability(wins, 0.1)).toBeCloseTo(0.02, 6);
    expect(winProbability(wins, 0.3)).toBeCloseTo(0.06, 6);
    const net = qualityTargetBand(mixed, { ...opts, winCurve: wins })!;
    const bound = qualityTargetBand(mixed, { ...opts, winCurve: wins, estimate: "upper_bound" })!;
    expect([net.estimate, bound.estimate]).toEqual(["net", "upper_bound"]);
    // Budget 4.25: the 40 easy requests cost 40 x 0.08 = 3.2, then 1.05 / (0.3 − 0.06) of the hard ones.
    expect(net.smallShare).toBeCloseTo(0.4 + 1.05 / 0.24 / 100, 3);
    expect(net.predictedQuality).toBeCloseTo(0.95, 3);
    expect(net.below).toBeGreaterThan(bound.below);
  });

  it("falls back to the upper bound, and says so, when the model has no win curve", () => {
    expect(qualityTargetBand(mixed, opts)).toMatchObject({ estimate: "upper_bound" });
    expect(qualityTargetBand(mixed, opts)!.below).toBe(qualityTargetBand(mixed, { ...opts, estimate: "upper_bound", winCurve: wins })!.below);
  });

  it("never lets a bin's wins exceed its losses (no budget bought by extrapolation)", () => {
    expect(netLoss({ alpha: 0, beta: 5 }, 10, 0.5)).toBe(0);
    expect(netLoss(wins, 0, 0)).toBe(0);
  });

  it("rewrites a second Platt calibration of the same logit on the complexity scale", () => {
    const loss = { a: 0.8, b: -1.3 };
    const win = { a: 0.6, b: -2.9 };
    const curve = winCurveOf(loss, win);
    for (const z of [-2, -0.5, 0, 0.7, 2]) {
      const c = 1 / (1 + Math.exp(-(loss.a * z + loss.b)));
      expect(winProbability(curve, c)).toBeCloseTo(1 / (1 + Math.exp(-(win.a * z + win.b))), 9);
    }
    expect(() => winCurveOf({ a: 0, b: 0 }, win)).toThrow();
  });
});

describe("histogram arithmetic", () => {
  it("keeps each bin's summed complexity, so the loss below a band is exact at bin edges", () => {
    const bins = mergeBins([[[20, 2, 0.21]], [[20, 1, 0.1], [60, 3, 0.9]]]);
    expect(bins).toEqual([[20, 3, 0.31], [60, 3, 0.9]]);
    const below = massBelow(bins, 0.105);
    expect([below.requests, below.loss].map((x) => Math.round(x * 1e9) / 1e9)).toEqual([3, 0.31]);
    const all = massBelow(bins, 1);
    expect([all.requests, all.loss].map((x) => Math.round(x * 1e9) / 1e9)).toEqual([6, 1.21]);
    expect(budgetBand(bins, 10)).toBe(1);
    expect(budgetBand(bins, 0)).toBe(0.1);
  });
});
