import { describe, expect, it } from "vitest";
import { budgetBand, DEFAULT_FRONTIER_QUALITY, massBelow, MIN_JUDGED_FOR_QUALITY, qualityTargetBand } from "./derive-band";
import { mergeBins, summaryOf as summary } from "./traffic-summary";

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
