import { describe, expect, it } from "vitest";
import { bandList, escapeChanges, keptQuality, qualityTargetReading, type ReportInput, type Run } from "./report";
import type { Summary } from "./summary";

const summary = (over: Partial<Summary>): Summary => ({ requests: 100, costUsd: 1, judgeCostUsd: 0, p50: 1, p99: 2, smallShare: 0, cacheHitShare: 0, semanticHits: 0, escapes: 10, foreign: 0, scoredShare: 1, errors: 0, ...over });
const routing = { complexity: null, belowBand: 0, bands: [], lowConfidence: 0, cascade: { accepted: 0, escalated: 0, notDrafted: 0 } };
const run = (label: string, over: Partial<Summary>, extra: Partial<Run> = {}): Run => ({ label, summary: summary(over), sources: [], routing, ...extra });

const input = (runs: Run[]): ReportInput => ({
  command: "c", machine: "m", date: "d", loadAverage: "1", seconds: 1, requests: 100, repeats: 10, concurrency: 4, simpleShare: 0.7, frontierRightShare: 0.9,
  oracleEscapes: 5, band: 0.17, qualityTarget: 0.95, warmUpSeed: 1042, mix: "x", routerVersion: "v", verifier: "f", simulator: "s", runs,
});

describe("quality-target reading", () => {
  it("names the derived band, the warm-up and the changes against the baseline and the defaults", () => {
    const qt = run("qt", { costUsd: 0.6, smallShare: 0.45, escapes: 14 }, {
      routing: { ...routing, bands: [{ below: 0.2234, source: "quality_target", requests: 88 }] },
      warmUp: { requests: 300, distinct: 270, complexity: [0.1, 0.2, 0.3], bands: [{ below: 0.17, source: "cold_start", requests: 300 }], errors: 0 },
    });
    const [text] = qualityTargetReading(input([run("base", {}), run("auto", { costUsd: 0.9, smallShare: 0.03 }), qt]));
    expect(text).toContain("derived band **0.2234**");
    expect(text).toContain("0.1700 cold_start ×300");
    expect(text).toContain("cost −40% (defaults −10%)");
    expect(text).toContain("45.0% on the small tier (defaults 3.0%)");
    expect(text).toContain("escapes 14 against 10 (+40%");
    expect(text).toContain("seed 1042");
  });

  it("says so when no derived band was in force, and is absent without a warmed-up run", () => {
    const cold = run("qt", {}, { warmUp: { requests: 10, distinct: 10, complexity: null, bands: [], errors: 0 } });
    expect(qualityTargetReading(input([run("base", {}), run("auto", {}), cold]))[0]).toContain("none (no derived band was in force)");
    expect(qualityTargetReading(input([run("base", {}), run("auto", {})]))).toEqual([]);
  });

  it("keeps the share of the baseline's right answers still served right", () => {
    expect(keptQuality(summary({ escapes: 20 }), summary({ escapes: 24 }))).toBeCloseTo(76 / 80);
    expect(keptQuality(summary({ escapes: 100 }), summary({}))).toBe(0);
    expect(bandList([])).toBe("—");
  });

  it("lists the per-source escape changes against the baseline, unchanged sources left out", () => {
    const line = (source: string, escapes: number) => ({ source, requests: 10, smallShare: 0, escapes });
    expect(escapeChanges([line("tea", 1), line("maps", 3), line("poems", 2)], [line("tea", 4), line("maps", 2), line("poems", 2)])).toBe("tea +3, maps −1");
    expect(escapeChanges([line("tea", 1)], [line("tea", 1)])).toBe("");
  });
});
