import { describe, expect, it } from "vitest";
import { binOf, mergeLabels, summaryOf, type LabelBin, type TrafficSummary } from "../../../../../shared/router-traffic/traffic-summary";
import { bandInForce, bandNote } from "./band-in-force";
import { labelledBand } from "./labelled-band";
import { binomialCdf, upperBound as upperRateBound } from "../../stats/binomial-bound";
import { RouterSettingsSchema } from "../settings";

const opts = { target: 0.95, frontierQuality: 0.85, min: 0.05, max: 0.5 };

/** m labels spread evenly over [0.1, 0.4); below 0.25 one in 50 is bad, above it one in 3. */
function labelsFor(m: number): LabelBin[] {
  return mergeLabels([
    Array.from({ length: m }, (_, i): LabelBin => {
      const c = 0.1 + (0.3 * i) / m;
      const bad = c < 0.25 ? i % 50 === 7 : i % 3 === 0;
      return [binOf(c), 1, bad ? 1 : 0, 0];
    }),
  ]);
}

const withLabels = (requests: number, labels: LabelBin[]): TrafficSummary => ({
  ...summaryOf(Array.from({ length: requests }, (_, i) => 0.1 + (0.3 * i) / requests)),
  labels,
});

describe("the exact binomial test", () => {
  it("matches closed forms", () => {
    expect(binomialCdf(0, 100, 0.05)).toBeCloseTo(0.95 ** 100, 12);
    expect(binomialCdf(1, 10, 0.5)).toBeCloseTo(11 / 1024, 12);
    expect(binomialCdf(3, 3, 0.2)).toBe(1);
    // Either side of the mean, against the sum of the pmf written out.
    const pmf = (i: number, m: number, p: number) => [...Array(i).keys()].reduce((c, j) => (c * (m - j)) / (j + 1), 1) * p ** i * (1 - p) ** (m - i);
    for (const k of [0, 2, 5, 9, 14]) expect(binomialCdf(k, 30, 0.2)).toBeCloseTo([...Array(k + 1).keys()].reduce((s, i) => s + pmf(i, 30, 0.2), 0), 12);
    // Zero bad of 100: the 95% upper bound is 1 − 0.05^(1/100) (the "rule of three", ≈ 3/100).
    expect(upperRateBound(0, 100, 0.05)).toBeCloseTo(1 - 0.05 ** (1 / 100), 6);
    // No underflow on large windows.
    expect(binomialCdf(3900, 100_000, 0.0425)).toBeLessThan(1e-6);
    expect(binomialCdf(4400, 100_000, 0.0425)).toBeGreaterThan(0.9);
  });
});

describe("labelledBand", () => {
  it("refuses every band when too few labels could show the budget is kept, even with no bad answer", () => {
    // 60 good labels: P(0 bad of 60 | risk = 4.25%) = 7% > δ/2 = 2.5% (the losses' share of δ), so nothing is certified.
    const b = labelledBand(withLabels(1000, [[binOf(0.2), 60, 0, 0]]), opts)!;
    expect(b).toMatchObject({ certified: false, below: 0.05, labels: 60, badBelow: 0 });
    expect(b.guaranteedQuality).toBeLessThan(0.95);
    // 90 are enough (0.9575^90 = 2.0%) for a band below which none was bad.
    expect(labelledBand(withLabels(1000, [[binOf(0.2), 90, 0, 0]]), opts)).toMatchObject({ certified: true, below: 0.5 });
  });

  it("certifies a wider band with more labels of the same traffic, and never one whose bound passes the budget", () => {
    const few = labelledBand(withLabels(5000, labelsFor(200)), opts)!;
    const many = labelledBand(withLabels(5000, labelsFor(3000)), opts)!;
    expect(many.certified).toBe(true);
    expect(many.below).toBeGreaterThan(few.below);
    // The risk below 0.25 is ~1%, then climbs by ~1.1 points per 0.01: the budget (4.25%) runs out near 0.28.
    expect(many.below).toBeGreaterThan(0.25);
    expect(many.below).toBeLessThan(0.28);
    for (const b of [few, many]) if (b.certified) expect(b.guaranteedQuality).toBeGreaterThanOrEqual(0.95 - 1e-3);
    // Wins credited: the same losses, with the good labels of every 5th bin below 0.25 wins, certify a wider band.
    const withWins = withLabels(5000, labelsFor(3000).map(([i, m, bad]): LabelBin => [i, m, bad, i * 0.005 < 0.25 && i % 5 === 0 ? m - bad : 0]));
    expect(labelledBand(withWins, opts)!.below).toBeGreaterThan(many.below);
  });

  it("is stricter for a stricter target or a weaker frontier", () => {
    const s = withLabels(5000, labelsFor(3000));
    const base = labelledBand(s, opts)!.below;
    expect(labelledBand(s, { ...opts, target: 0.98 })!.below).toBeLessThan(base);
    expect(labelledBand(s, { ...opts, frontierQuality: 0.5 })!.below).toBeLessThan(base);
  });

  it("is null without labels", () => {
    expect(labelledBand(summaryOf([0.1, 0.2]), opts)).toBeNull();
  });
});

describe("bandInForce with labels", () => {
  const settings = RouterSettingsSchema.parse({ qualityTarget: 0.95 });
  const many = withLabels(5000, labelsFor(3000));

  it("prefers the labelled band once the window has qualityMinLabels labels, and says so", () => {
    const b = bandInForce(settings, { feature: null, tenant: many });
    expect(b).toMatchObject({ source: "quality_target_labelled", scope: "tenant", target: 0.95 });
    // Traffic spread evenly over [0.1, 0.4): the share below the band follows from it.
    expect(b.labelled!.smallShare).toBeCloseTo((b.below - 0.1) / 0.3, 2);
    expect(b.below).toBe(b.labelled!.below);
    expect(bandNote(b)).toBe(`band=${b.below.toFixed(4)} quality_target_labelled`);
  });

  it("falls back to the label-free band when labels are missing or too few", () => {
    const none = { ...many, labels: undefined };
    expect(bandInForce(settings, { feature: null, tenant: none })).toMatchObject({ source: "quality_target", scope: "tenant" });
    const few = withLabels(5000, labelsFor(settings.qualityMinLabels - 1));
    expect(bandInForce(settings, { feature: null, tenant: few }).source).toBe("quality_target");
    expect(bandInForce(RouterSettingsSchema.parse({ qualityTarget: 0.95, qualityMinLabels: 100 }), { feature: null, tenant: few }).source).toBe("quality_target_labelled");
  });

  it("keeps the scopes apart: a feature's own window wins, labelled or not, and the tenant's labels cover a feature without one", () => {
    const unlabelledFeature = withLabels(300, []);
    expect(bandInForce(settings, { feature: unlabelledFeature, tenant: many })).toMatchObject({ source: "quality_target", scope: "feature" });
    expect(bandInForce(settings, { feature: many, tenant: unlabelledFeature })).toMatchObject({ source: "quality_target_labelled", scope: "feature" });
    expect(bandInForce(settings, { feature: null, tenant: many })).toMatchObject({ source: "quality_target_labelled", scope: "tenant" });
  });
});
