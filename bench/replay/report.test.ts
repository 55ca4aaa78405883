import { describe, expect, it } from "vitest";
import { cascadeWhy, qualityTargetWhy, replayMarkdown, staticBandWhy, type ReplayReport, type RouterSection, type TenantResult } from "./report";
import type { Served } from "./tenants";
import type { Point } from "./curve";

const tenant = (label: string, correct: number, costUsd: number, frontierShare = 1): TenantResult => ({ label, correct, rows: 8, frontierShare, costUsd, errors: 0 });
const served = (complexity: number, band: number, source: string): Served => ({ status: 200, requestId: "r", tier: "frontier", complexity, pWrong: null, cascade: null, band: { below: band, source }, reason: "complexity_above_threshold" });
const point = (threshold: number, quality: number, costCut: number): Point => ({ threshold, quality, frontierShare: 1 - costCut, costCut });

/**
 * Eight invented rows: the static band sends all of them to the frontier, the quality target cuts a
 * little (the upper-bound tenant with one answer fewer right and its own predicted quality, so the
 * two estimates cannot be swapped unnoticed), the cascade meets its target unless `cascadeCost` is high.
 */
function report(cascadeCost = 0.4, routerAuc = 0.6): ReplayReport {
  const section: RouterSection = {
    router: { kind: "shipped", version: "test-1", trainedOnRows: false },
    tenants: new Map([
      ["auto", tenant("auto", 6, 1)],
      ["qt", tenant("qt", 6, 0.9)],
      ["qt bound", tenant("qt bound", 5, 0.95)],
      ["auto + cascade", tenant("auto + cascade", 6, cascadeCost, 0.3)],
    ]),
    served: new Map([
      ["auto", [0.3, 0.25, 0.35].map((c) => served(c, 0.17, "static"))],
      ["qt", [served(0.3, 0.262, "quality_target"), served(0.25, 0.258, "quality_target")]],
      ["qt bound", [served(0.3, 0.255, "quality_target")]],
    ]),
    routerAuc,
    verifierAuc: 0.8,
    drafted: 8,
    routerCurve: [point(0.25, 1, 0), point(0.3, 0.96, 0.35)],
    verifierCurve: [point(0.3, 1, 0.6)],
    targetCurves: { net: [{ ...point(0.95, 1, 0.1), bands: [0.262, 0.258], predictedQuality: 0.95 }], upper_bound: [{ ...point(0.95, 1, 0.05), bands: [0.255, 0.255], predictedQuality: 0.9 }] },
    cascadeBands: [{ from: 0.25, to: 0.28, rows: 4, accepted: 3, acceptedWrong: 0, smallRight: 3 }, { from: 0.29, to: 0.35, rows: 4, accepted: 2, acceptedWrong: 1, smallRight: 2 }],
  };
  return {
    command: "test", machine: "test", rows: 8, folds: 2, seconds: 1, staticBand: 0.17, target: 0.95, verifierVersion: "v", verifierThreshold: 0.3,
    baselines: new Map([["all-frontier", tenant("all-frontier", 6, 1)], ["all-small", tenant("all-small", 4, 0.01, 0)]]),
    sections: [section], qualityTargetLabel: "qt", qualityTargetBoundLabel: "qt bound",
  };
}

describe("bench:replay report: why a target was missed", () => {
  const md = replayMarkdown(report());
  const lines = md.split("\n");
  const after = (prefix: string): string | undefined => lines[lines.findIndex((l) => l.startsWith(prefix)) + 1];

  it("explains the static band's miss with where the set's complexities sit", () => {
    expect(after("- `auto` at the static band 0.17")).toBe(`  - Why: ${staticBandWhy(0.17, { lo: 0.25, hi: 0.35, below: 0, rows: 3 })}`);
    expect(after("- `auto` at the static band 0.17")).toContain("none of the 3 GSM8K complexities is below the static band 0.17 (range 0.250–0.350)");
  });

  it("explains a quality-target miss with the predicted and measured quality, the bands in force and the studies", () => {
    const why = after("- `auto` with quality target 0.95, net loss")!;
    expect(why).toContain("predicted 95.0% of all-frontier quality and 100.0% was measured (5.0 points more than asked), with bands 0.2620 / 0.2580 where this run's best curve point at ≥ 95% needs 0.300");
    expect(why).toContain("complexity AUC 0.600");
    expect(why).toContain('"Labelled band"');
    // The upper-bound tenant's own numbers: 5 of 6 right against a predicted 90%.
    const bound = after("- `auto` with quality target 0.95, upper bound")!;
    expect(bound).toContain("the label-free band is optimistic on this set: at target 0.95 it predicted 90.0% and 83.3% was measured (-6.7 points), with bands 0.2550 where");
    expect(why).not.toContain("83.3%");
  });

  it("calls the ranking weak only below the AUC bar, and attributes the study conclusions to their dated studies", () => {
    const args = { target: 0.95, predicted: 0.95, measured: 0.97, bands: "0.2600", bestBand: 0.28 };
    const weak = qualityTargetWhy({ ...args, routerAuc: 0.62 });
    expect(weak).toContain('ranks these prompts weakly (complexity AUC 0.620 for "the small model is wrong", below 0.7)');
    const strong = qualityTargetWhy({ ...args, routerAuc: 0.81 });
    expect(strong).not.toContain("weakly");
    expect(strong).toContain('complexity AUC for "the small model is wrong" is 0.810');
    for (const w of [weak, strong]) {
      expect(w).toContain("Earlier studies, not re-measured here: the calibration study (2026-12-07;");
      expect(w).toContain("the labelled-band study (2026-12-07;");
    }
    expect(replayMarkdown(report(0.4, 0.85))).not.toContain("weakly");
  });

  it("explains a cascade miss with the held-out verifier's AUC on the drafted rows", () => {
    const md2 = replayMarkdown(report(0.9)).split("\n");
    const i = md2.findIndex((l) => l.startsWith("- `auto` with cascade"));
    expect(md2[i]).toContain("**missed** cost cut by 40.0 points");
    expect(md2[i + 1]).toBe(`  - Why: ${cascadeWhy(0.8, 8)}`);
    expect(cascadeWhy(0.8, 8)).toBe('the held-out verifier ranks wrong drafts with AUC 0.800 on 8 drafted rows; the curve below shows what each threshold trades (docs/router.md, "Cascade verifier").');
  });

  it("adds no why under a target that was met", () => {
    const cascade = lines.findIndex((l) => l.startsWith("- `auto` with cascade"));
    expect(lines[cascade]).toContain("— met;");
    expect(lines[cascade + 1]!.startsWith("  - Why")).toBe(false);
  });

  it("counts the rows below the band when some are", () => {
    expect(staticBandWhy(0.17, { lo: 0.1, hi: 0.3, below: 2, rows: 9 })).toMatch(/^2 of 9 GSM8K complexities are below the static band 0.17 \(range 0.100–0.300\)\./);
  });
});
