/** Cache audits through the real consumer: batch -> ledger -> audit panel -> cache_audits (D1). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumeBatch } from "../consume-batch";
import type { ConsumerDeps } from "../process-event";
import { semanticHitEvent } from "../testing/events";
import { fakeBatch } from "../testing/fake-batch";
import { startD1 } from "../testing/harness";
import { startJudgeStub, type JudgeStub } from "../testing/judge-stub";
import { JudgesSchema } from "../judge/config";

let d1: Awaited<ReturnType<typeof startD1>>;
let stub: JudgeStub;
let judgeUp = true;

beforeAll(async () => {
  d1 = await startD1();
  // The stub reads the audit prompt: a reused answer about another city is wrong for B.
  stub = await startJudgeStub((model, prompt) => {
    if (!judgeUp) return "fail";
    if (prompt.includes("QUESTION B (asked now):\nWeather in Lyon?")) return model === "frontier-sim" ? 1 : 2;
    return model === "frontier-sim" ? 5 : 4;
  });
});
afterAll(async () => {
  await d1?.dispose();
  await stub?.close();
});

function deps(extra: Partial<ConsumerDeps> = {}): ConsumerDeps {
  return {
    db: d1.db,
    judges: JudgesSchema.parse([
      { name: "small", baseUrl: stub.url, model: "small-sim", version: "s1" },
      { name: "frontier", baseUrl: stub.url, model: "frontier-sim", version: "f1" },
    ]),
    // The rubric panel samples nothing here: only the cache audit may call the judges.
    sampling: { default: 0, rules: [] },
    fetch: (u, i) => fetch(u, i),
    credential: () => undefined,
    concurrency: 4,
    maxJudgeAttempts: 2,
    now: () => Date.parse("2026-11-27T02:10:01Z"),
    ...extra,
  };
}

const good = semanticHitEvent("hit-good", { cachedQuestion: "How do I reset my password?", question: "How can I reset my password?", similarity: 0.92, answer: "Settings > Security > Reset." }, { tenantId: "t-audit" });
const bad = semanticHitEvent("hit-bad", { cachedQuestion: "Weather in Paris?", question: "Weather in Lyon?", similarity: 0.88, answer: "Sunny in Paris, 21C." }, { tenantId: "t-audit", feature: "chat" });

describe("cache audit in the consumer", () => {
  it("judges a sampled semantic hit, stores the verdict and bills the judge calls to the hit's tenant", async () => {
    const batch = fakeBatch([good, bad]);
    expect(await consumeBatch(batch, deps())).toEqual({ acked: 2, retried: 0, deadLettered: 0 });
    const rows = await d1.db
      .prepare("SELECT request_id, tenant_id, feature, entry_id, similarity, status, score_mean, pass_score, correct, created_at FROM cache_audits WHERE tenant_id = 't-audit' ORDER BY request_id")
      .all();
    expect(rows.results).toEqual([
      { request_id: "hit-bad", tenant_id: "t-audit", feature: "chat", entry_id: "entry-hit-bad", similarity: 0.88, status: "ok", score_mean: 1.5, pass_score: 4, correct: 0, created_at: bad.completedAt },
      { request_id: "hit-good", tenant_id: "t-audit", feature: "support", entry_id: "entry-hit-good", similarity: 0.92, status: "ok", score_mean: 4.5, pass_score: 4, correct: 1, created_at: good.completedAt },
    ]);
    const billed = await d1.db
      .prepare("SELECT request_id, kind, feature, cost_usd FROM usage_ledger WHERE parent_request_id = 'hit-good' ORDER BY request_id")
      .all<{ request_id: string; kind: string; feature: string; cost_usd: number }>();
    expect(billed.results.map((r) => [r.request_id, r.kind, r.feature])).toEqual([
      ["hit-good#cache-audit:frontier", "judge", "support"],
      ["hit-good#cache-audit:small", "judge", "support"],
    ]);
    expect(billed.results.every((r) => r.cost_usd > 0)).toBe(true);
    // Cache hits are never rubric-judged: the audit is the only evaluation of a hit.
    expect(await d1.db.prepare("SELECT COUNT(*) AS n FROM evaluations WHERE tenant_id = 't-audit'").first()).toEqual({ n: 0 });
  });

  it("does not judge or bill a redelivered hit twice", async () => {
    const calls = stub.calls.length;
    expect(await consumeBatch(fakeBatch([good], 2), deps())).toEqual({ acked: 1, retried: 0, deadLettered: 0 });
    expect(stub.calls.length).toBe(calls);
    expect(await d1.db.prepare("SELECT COUNT(*) AS n FROM usage_ledger WHERE parent_request_id = 'hit-good'").first()).toEqual({ n: 2 });
  });

  it("uses the configured pass score and the evaluator's own sampling", async () => {
    const strict = deps({ cacheAudit: { sampling: { default: 1, rules: [{ feature: "skip-me", rate: 0 }] }, passScore: 5 } });
    const h1 = semanticHitEvent("strict-1", { cachedQuestion: "a", question: "b", similarity: 0.9, answer: "x" }, { tenantId: "t-strict" });
    const h2 = semanticHitEvent("strict-2", { cachedQuestion: "a", question: "b", similarity: 0.9, answer: "x" }, { tenantId: "t-strict", feature: "skip-me" });
    await consumeBatch(fakeBatch([h1, h2]), strict);
    const rows = await d1.db.prepare("SELECT request_id, correct, pass_score FROM cache_audits WHERE tenant_id = 't-strict'").all();
    expect(rows.results).toEqual([{ request_id: "strict-1", correct: 0, pass_score: 5 }]);
  });

  it("retries while the judges are down, then records an error row and acks", async () => {
    judgeUp = false;
    try {
      const ev = semanticHitEvent("hit-down", { cachedQuestion: "a", question: "b", similarity: 0.9, answer: "x" }, { tenantId: "t-down" });
      const first = fakeBatch([ev], 1);
      expect(await consumeBatch(first, deps())).toEqual({ acked: 0, retried: 1, deadLettered: 0 });
      expect(await consumeBatch(fakeBatch([ev], 2), deps())).toEqual({ acked: 1, retried: 0, deadLettered: 0 });
      const row = await d1.db.prepare("SELECT status, correct, score_mean FROM cache_audits WHERE request_id = 'hit-down'").first();
      expect(row).toEqual({ status: "error", correct: null, score_mean: null });
    } finally {
      judgeUp = true;
    }
  });
});
