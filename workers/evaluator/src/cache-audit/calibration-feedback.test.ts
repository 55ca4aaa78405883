/**
 * Judge verdicts feed the semantic cache's false-hit bound: audited hits and shadow checks go
 * through the real consumer into cache_audits and are counted per namespace and band in
 * cache_calibration, once per request however often the event is delivered.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumeBatch } from "../consume-batch";
import type { ConsumerDeps } from "../process-event";
import { semanticHitEvent, shadowCheckEvent, TEST_SCORER } from "../testing/events";
import { fakeBatch } from "../testing/fake-batch";
import { startD1 } from "../testing/harness";
import { startJudgeStub, type JudgeStub } from "../testing/judge-stub";
import { JudgesSchema } from "../judge/config";
import { traceJson } from "../trace/trace-record";

let d1: Awaited<ReturnType<typeof startD1>>;
let stub: JudgeStub;
const prompts: string[] = [];

beforeAll(async () => {
  d1 = await startD1();
  // A cached answer about the wrong size is wrong for B; everything else fits.
  stub = await startJudgeStub((_model, prompt) => {
    prompts.push(prompt);
    return prompt.includes("ANSWER X:\nA small box holds 2 liters.") && prompt.includes("large box") ? 1 : 5;
  });
});
afterAll(async () => {
  await d1?.dispose();
  await stub?.close();
});

const deps = (): ConsumerDeps => ({
  db: d1.db,
  judges: JudgesSchema.parse([{ name: "small", baseUrl: stub.url, model: "small-sim", version: "s1" }]),
  sampling: { default: 0, rules: [] },
  fetch: (u, i) => fetch(u, i),
  credential: () => undefined,
  concurrency: 4,
  maxJudgeAttempts: 2,
  now: () => Date.parse("2026-11-27T02:10:01Z"),
});

const tenant = { tenantId: "t-cal", feature: "boxes" };
const hit = semanticHitEvent("cal-hit", { cachedQuestion: "How much does a small box hold?", question: "What does a small box hold?", similarity: 0.91, answer: "A small box holds 2 liters." }, tenant);
const cache = hit.decisions["cache"] as { audit: Record<string, unknown> };
cache.audit = { ...cache.audit, kind: "hit", scorer: TEST_SCORER, band: 900 };
const wrongShadow = shadowCheckEvent(
  "cal-shadow-wrong",
  { cachedQuestion: "How much does a small box hold?", question: "How much does a large box hold?", similarity: 0.74, band: 740, cachedAnswer: "A small box holds 2 liters.", freshAnswer: "A large box holds 10 liters." },
  tenant,
);
const rightShadow = shadowCheckEvent(
  "cal-shadow-right",
  { cachedQuestion: "How much does a small box hold?", question: "How much can a small box hold?", similarity: 0.75, band: 740, cachedAnswer: "A small box holds 2 liters.", freshAnswer: "About 2 liters." },
  tenant,
);

describe("judge verdicts in the false-hit bound", () => {
  it("counts a judged hit and judged shadow checks in their bands, once per request", async () => {
    expect(await consumeBatch(fakeBatch([hit, wrongShadow, rightShadow]), deps())).toMatchObject({ acked: 3, retried: 0 });
    // Redelivered: nothing is judged or counted twice.
    await consumeBatch(fakeBatch([hit, wrongShadow]), deps());
    const audits = await d1.db.prepare("SELECT request_id, correct, band_key, scorer_id FROM cache_audits WHERE tenant_id = 't-cal'").all();
    expect(audits.results).toEqual([{ request_id: "cal-hit", correct: 1, band_key: 900, scorer_id: TEST_SCORER }]);
    // Shadow checks were never served: kept out of the hit-precision table.
    const shadows = await d1.db.prepare("SELECT request_id, correct, band_key FROM cache_shadow_checks WHERE tenant_id = 't-cal' ORDER BY request_id").all();
    expect(shadows.results).toEqual([
      { request_id: "cal-shadow-right", correct: 1, band_key: 740 },
      { request_id: "cal-shadow-wrong", correct: 0, band_key: 740 },
    ]);
    const counts = await d1.db.prepare("SELECT feature, scorer_id, band_key, checks, wrong FROM cache_calibration WHERE tenant_id = 't-cal' ORDER BY band_key").all();
    expect(counts.results).toEqual([
      { feature: "boxes", scorer_id: TEST_SCORER, band_key: 740, checks: 2, wrong: 1 },
      { feature: "boxes", scorer_id: TEST_SCORER, band_key: 900, checks: 1, wrong: 0 },
    ]);
  });

  it("shows the judge the cached answer for a shadow check, with the fresh one as reference only", () => {
    const shadowPrompt = prompts.find((p) => p.includes("large box"));
    expect(shadowPrompt).toContain("ANSWER X:\nA small box holds 2 liters.");
    expect(shadowPrompt).toContain("REFERENCE (an answer written for B just now; for comparison only):\nA large box holds 10 liters.");
  });

  it("keeps the texts of a shadow check out of the trace", () => {
    const trace = traceJson(wrongShadow);
    expect(trace).not.toContain("small box");
    expect(trace).not.toContain("2 liters");
    expect(JSON.parse(trace).decisions.cache.shadow).toMatchObject({ band: 740, similarity: 0.74, kind: "shadow" });
  });
});
