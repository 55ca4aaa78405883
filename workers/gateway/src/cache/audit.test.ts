import { describe, expect, it } from "vitest";
import { shouldAudit } from "./audit";
import { cacheResponseHeaders, parseCacheDirectives } from "./cache-control";

describe("shouldAudit", () => {
  it("is deterministic and close to the rate", () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `req-${i}`);
    expect(ids.map((id) => shouldAudit(0.1, id))).toEqual(ids.map((id) => shouldAudit(0.1, id)));
    const share = ids.filter((id) => shouldAudit(0.1, id)).length / ids.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
    expect(shouldAudit(0, "x")).toBe(false);
    expect(shouldAudit(1, "x")).toBe(true);
  });
});

describe("cache directives and headers", () => {
  it("parses Cache-Control and x-cache-threshold", () => {
    const d = parseCacheDirectives(new Headers({ "Cache-Control": "No-Cache, no-store", "x-cache-threshold": "0.97" }));
    expect(d).toEqual({ noCache: true, noStore: true, threshold: 0.97 });
    expect(parseCacheDirectives(new Headers({ "x-cache-threshold": "abc" })).threshold).toBeNull();
    expect(parseCacheDirectives(new Headers({ "x-cache-threshold": "7" })).threshold).toBeNull();
  });

  it("describes the outcome", () => {
    expect(cacheResponseHeaders({ status: "hit-semantic", similarity: 0.93456 })).toEqual({ "x-cache": "hit-semantic", "x-cache-similarity": "0.9346" });
    expect(cacheResponseHeaders({ status: "miss" })).toEqual({ "x-cache": "miss" });
  });

  it("shows the threshold in force, and a similarity only on hits", () => {
    const semantic = { threshold: 0.78 };
    expect(cacheResponseHeaders({ status: "hit-semantic", similarity: 0.8, semantic })).toEqual({ "x-cache": "hit-semantic", "x-cache-similarity": "0.8000", "x-cache-threshold": "0.780" });
    // A near-miss's score stays in the trace, not in a header that reads like a hit.
    expect(cacheResponseHeaders({ status: "miss", similarity: 0.7, semantic })).toEqual({ "x-cache": "miss", "x-cache-threshold": "0.780" });
    expect(cacheResponseHeaders({ status: "miss", semantic: { threshold: null } })).toEqual({ "x-cache": "miss", "x-cache-threshold": "exact-only" });
  });
});
