import { describe, expect, it } from "vitest";
import { replayMarkdown, staticBandWhy, type ReplayReport, type RouterSection, type TenantResult } from "./report";
import type { Served } from "./tenants";
import type { Point } from "./curve";

const tenant = (label: string, correct: number, costUsd: number, frontierShare = 1): TenantResult => ({ label, correct, rows: 8, frontierShare, costUsd, errors: 0 });
const served = (complexity: number, band: number, source: string): Served => ({ status: 200, requestId: "r", tier: "frontier", complexity, pWrong: null, cascade: null, band: { below: band, source }, reason: "complexity_above_threshold" });
const point = (threshold: number, quality: number, costCut: number): Point => ({ threshold, quality, frontierShare: 1 - costCut, costCut });

/** Eight invented rows: the static band sends all of them to the frontier, the quality target cuts a little, the cascade meets its target. */
function report(): ReplayReport {
  const section: RouterSection = {
    router: { kind: "shipped", version: "test-1", trainedOnRows: false },
    tenants: new Map([
      ["auto", tenant("auto", 6, 1)],
      ["qt", tenant("qt", 6, 0.9)],
      ["qt bound", tenant("qt bound", 6, 0.95)],
      ["auto + cascade", tenant("auto + cascade", 6, 0.4, 0.3)],
    ]),
    served: new Map([
      ["auto", [0.3, 0.25, 0.35].map((c) => served(c, 0.17, "static"))],
      ["qt", [served(0.3, 0.262, "quality_target"), served(0.25, 0.258, "quality_target")]],
      ["qt bound", [served(0.3, 0.255, "quality_target")]],
    ]),
    routerAuc: 0.6,
    verifierAuc: 0.8,
    drafted: 8,
    routerCurve: [point(0.25, 1, 0), point(0.3, 0.96, 0.35)],
    verifierCurve: [point(0.3, 1, 0.6)],
    targetCurves: { net: [{ ...point(0.95, 1, 0.1), bands: [0.262, 0.258], predictedQuality: 0.95 }], upper_bound: [{ ...point(0.95, 1, 0.05), bands: [0.255, 0.255], predictedQuality: 0.95 }] },
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
    expect(after("- `auto` with quality target 0.95, upper bound")).toContain("with bands 0.2550 where");
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
