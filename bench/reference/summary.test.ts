import { describe, expect, it } from "vitest";
import type { Served } from "./client";
import type { Verdict } from "./escapes";
import { bandsUsed, bySource, routingDetail, summarize } from "./summary";

const served = (over: Partial<Served>): Served => ({ status: 200, content: "x", tier: "small", latencyMs: 100, requestId: "r", cache: "miss", cascade: null, reason: null, complexity: null, band: null, ...over });
const right: Verdict = { kind: "small", correct: true };
const wrong: Verdict = { kind: "small", correct: false };

describe("summarize", () => {
  it("reads shares, latency and judged coverage from what the clients saw", () => {
    const s = [
      served({ requestId: "a", latencyMs: 100 }),
      served({ requestId: "b", tier: "frontier", latencyMs: 900 }),
      served({ requestId: "c", cache: "hit-semantic", latencyMs: 5 }),
      served({ requestId: "d", status: 429, tier: null, latencyMs: 20 }),
    ];
    const v: Verdict[] = [right, { kind: "frontier", correct: true }, { kind: "foreign", correct: false }, { kind: "error", correct: false }];
    const out = summarize(s, v, { rows: 4, costUsd: 0.5, judgeCostUsd: 0.01, scored: new Set(["a"]) });
    expect(out).toMatchObject({ requests: 4, costUsd: 0.5, smallShare: 0.5, cacheHitShare: 0.25, semanticHits: 1, escapes: 2, foreign: 1, errors: 1, p50: 20, p99: 900 });
    // a is judged, c is a cache hit (its original's score), b was left unjudged; d is not a 200.
    expect(out.scoredShare).toBeCloseTo(2 / 3);
  });
});

describe("bySource", () => {
  it("splits the small-tier share and escapes by source", () => {
    const s = [served({}), served({ tier: "frontier" }), served({})];
    expect(bySource(["poems", "maps", "poems"], s, [wrong, right, right])).toEqual([
      { source: "maps", requests: 1, smallShare: 0, escapes: 0 },
      { source: "poems", requests: 2, smallShare: 1, escapes: 1 },
    ]);
  });
});

describe("routingDetail", () => {
  it("reads complexity spread, the band side and cascade outcomes from the headers", () => {
    const s = [
      served({ complexity: 0.1, cascade: "accepted:small" }),
      served({ complexity: 0.3, cascade: "escalated:final_missing", reason: "low_confidence" }),
      served({ complexity: 0.2, cascade: "escalated:rejected" }),
      served({ complexity: null, cache: "hit-exact" }),
    ];
    expect(routingDetail(s, 0.17)).toEqual({ complexity: [0.1, 0.2, 0.3], belowBand: 1 / 3, bands: [], lowConfidence: 1, cascade: { accepted: 1, escalated: 2, notDrafted: 1 } });
    expect(routingDetail([served({})], 0.17).complexity).toBeNull();
  });
});

describe("bands in force", () => {
  const qt = (below: number) => ({ below, source: "quality_target" });
  it("compares each routed request with the band its own decision named, the static one when none is named", () => {
    const s = [
      served({ complexity: 0.2, band: qt(0.25) }),
      served({ complexity: 0.3, band: qt(0.25) }),
      served({ complexity: 0.16, band: { below: 0.17, source: "cold_start" } }),
      served({ complexity: 0.15 }),
      served({ complexity: null, cache: "hit-semantic", band: null }),
    ];
    expect(routingDetail(s, 0.1).belowBand).toBe(2 / 4);
  });

  it("counts the routed requests per band, most used first", () => {
    const s = [served({ band: qt(0.3) }), served({ band: { below: 0.17, source: "cold_start" } }), served({ band: qt(0.3) }), served({})];
    expect(bandsUsed(s)).toEqual([
      { below: 0.3, source: "quality_target", requests: 2 },
      { below: 0.17, source: "cold_start", requests: 1 },
    ]);
  });
});
