import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { semanticHitEvent } from "../../../evaluator/src/testing/events";
import { startD1 } from "../../../evaluator/src/testing/harness";
import { startJudgeStub, type JudgeStub } from "../../../evaluator/src/testing/judge-stub";
import { JudgesSchema } from "../../../evaluator/src/judge/config";
import { cacheQuality, CacheQualityQuerySchema } from "./cache-quality";
import { ingest } from "./test-fixtures";

let d1: Awaited<ReturnType<typeof startD1>>;
let stub: JudgeStub;
const T0 = Date.parse("2026-11-26T10:00:00Z");

/** A hit the judge will find wrong when the new question says so. */
const hit = (id: string, similarity: number, opts: { wrong?: boolean; tenantId?: string; feature?: string | null; at?: number } = {}) =>
  semanticHitEvent(
    id,
    { cachedQuestion: "How do I export a report?", question: opts.wrong ? "How do I delete a report? WRONG" : "How can I export a report?", similarity, answer: "Use File > Export." },
    { tenantId: opts.tenantId ?? "acme", feature: opts.feature === undefined ? "support" : opts.feature, completedAt: opts.at ?? T0 },
  );

beforeAll(async () => {
  d1 = await startD1();
  stub = await startJudgeStub((_model, prompt) => (prompt.includes("WRONG") ? 1 : 5));
  const events = [
    // support: 30 correct at 0.92..0.95, 2 wrong at 0.87 -> precision 30/32.
    ...Array.from({ length: 30 }, (_, i) => hit(`s${i}`, 0.92 + (i % 4) * 0.01)),
    hit("s-w1", 0.87, { wrong: true }),
    hit("s-w2", 0.8701, { wrong: true }),
    // billing: 3 correct hits, no feature: 1 correct hit; old and foreign hits are out of scope.
    ...["b1", "b2", "b3"].map((id) => hit(id, 0.9, { feature: "billing" })),
    hit("n1", 0.95, { feature: null }),
    hit("old", 0.95, { wrong: true, at: T0 - 40 * 86_400_000 }),
    hit("other", 0.95, { wrong: true, tenantId: "other" }),
  ];
  await ingest(d1.db, events, {
    judges: JudgesSchema.parse([{ name: "j", baseUrl: stub.url, model: "small-sim" }]),
    fetch: (u, i) => fetch(u, i),
  });
});
afterAll(async () => {
  await d1?.dispose();
  await stub?.close();
});

const q = (raw: Record<string, string> = {}) => CacheQualityQuerySchema.parse(raw);
const now = T0 + 3_600_000;

describe("cacheQuality", () => {
  it("reports the tenant's hit precision overall and per feature, with threshold suggestions", async () => {
    const r = await cacheQuality(d1.db, "acme", q(), { features: null, now, currentThreshold: (f) => (f === "support" ? 0.865 : 0.9) });
    expect(r).toMatchObject({ tenantId: "acme", feature: null, audited: 36, correct: 34, errors: 0, precision: 0.9444, currentThreshold: 0.9, targetPrecision: 0.97 });
    expect(r.since).toBe(new Date(now - 30 * 86_400_000).toISOString());
    expect(r.byFeature.map((f) => [f.feature, f.audited, f.correct, f.precision, f.suggestedThreshold, f.currentThreshold])).toEqual([
      [null, 1, 1, 1, 0.95, 0.9],
      ["billing", 3, 3, 1, 0.9, 0.9],
      ["support", 32, 30, 0.9375, 0.92, 0.865],
    ]);
    const support = r.byFeature.find((f) => f.feature === "support");
    expect(support?.suggestion).toMatchObject({ samples: 30, confidence: "medium" });
    expect(support?.suggestion.note).toContain("Consider raising the threshold from 0.865");
    expect(r.byFeature.find((f) => f.feature === "billing")?.suggestion.confidence).toBe("low");
  });

  it("filters by feature and time, honours the target precision and never shows another tenant", async () => {
    const support = await cacheQuality(d1.db, "acme", q({ feature: "support", targetPrecision: "0.9" }), { features: null, now });
    expect(support).toMatchObject({ feature: "support", audited: 32, suggestedThreshold: 0.87 });
    expect(support.byFeature).toHaveLength(1);
    expect(support.currentThreshold).toBeUndefined();
    const all = await cacheQuality(d1.db, "acme", q({ since: new Date(T0 - 60 * 86_400_000).toISOString() }), { features: null, now });
    expect(all.audited).toBe(37);
    const other = await cacheQuality(d1.db, "other", q(), { features: null, now });
    expect(other).toMatchObject({ audited: 1, correct: 0, precision: 0 });
    const none = await cacheQuality(d1.db, "nobody", q(), { features: null, now });
    expect(none).toMatchObject({ audited: 0, precision: null, suggestedThreshold: null, byFeature: [] });
  });

  it("leaves out the audits of features outside a key's allow-list (and those of no feature)", async () => {
    const billing = await cacheQuality(d1.db, "acme", q(), { features: ["billing"], now });
    expect(billing).toMatchObject({ audited: 3, correct: 3 });
    expect(billing.byFeature.map((f) => f.feature)).toEqual(["billing"]);
    expect(await cacheQuality(d1.db, "acme", q({ feature: "support" }), { features: ["billing"], now })).toMatchObject({ audited: 0, byFeature: [] });
  });

  it("validates the query", () => {
    expect(q({ since: "1764151200000", minSamples: "50" })).toMatchObject({ since: 1764151200000, minSamples: 50, targetPrecision: 0.97 });
    expect(() => q({ targetPrecision: "1.5" })).toThrow();
    expect(() => q({ feature: "bad feature!" })).toThrow();
  });
});
