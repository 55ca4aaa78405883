import { describe, expect, it } from "vitest";
import { shadowPayload } from "./audit-payload";
import { cacheDecision } from "./decision-record";
import { DEFAULT_POLICY } from "./settings";
import { answer } from "./testing/fixtures";
import type { CacheEntry } from "./exact-cache/cache-entry";
import type { CacheLookupResult } from "./types";

const entry: CacheEntry = {
  v: 1, entryId: "ce_1", tenantId: "t", feature: "f", scopeHash: "s", fingerprint: "fp", modelOrTier: "auto", question: "How do I boil an egg?",
  response: answer("Eight minutes."), usage: null, costUsd: 0.001, embedderId: "e", createdAt: 1, expiresAt: 2,
};
const base: CacheLookupResult = {
  status: "miss", audit: false, costAvoidedUsd: 0, storable: true,
  context: { policy: DEFAULT_POLICY, keys: null, question: "How do I boil pasta?", embedding: null },
  semantic: { threshold: 0.775, phase: "cold", delta: 0.01, checks: 3, scorer: "e@w0.45" },
};

describe("the cache's part of the trace", () => {
  it("says why the closest neighbour of a miss was refused, without a similarity or any text", () => {
    const miss = { ...base, reason: "cold-start", nearMiss: { score: 0.7123456, band: 10, reason: "cold-start", upperBound: 1 }, shadow: { entry, score: 0.7123456, band: 10 } };
    const d = cacheDecision(miss, "f");
    expect(d).toEqual({ status: "miss", reason: "cold-start", threshold: 0.775, phase: "cold", maxFalseHitRate: 0.01, checks: 3, nearMiss: { score: 0.7123, band: 700, reason: "cold-start", upperBound: 1 } });
    expect(JSON.stringify(d)).not.toContain("egg");
    // The shadow payload (queue only) carries the texts the judge needs.
    expect(shadowPayload(miss)).toMatchObject({ kind: "shadow", band: 700, cachedQuestion: "How do I boil an egg?", question: "How do I boil pasta?", cachedAnswer: "Eight minutes." });
  });

  it("records the calibration band of a semantic hit for feedback", () => {
    const hit = { ...base, status: "hit-semantic" as const, similarity: 0.9123, entry, semantic: { ...base.semantic!, phase: "warm" as const, band: 20 } };
    expect(cacheDecision(hit, null)).toMatchObject({ status: "hit-semantic", similarity: 0.9123, calibration: { scorer: "e@w0.45", feature: "", band: 900 } });
    expect(shadowPayload(hit)).toBeNull();
  });
});
