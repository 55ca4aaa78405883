/** Tiered judging through the real consumer and D1: who is asked, what it costs, what is counted. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumeBatch } from "../consume-batch";
import type { ConsumerDeps } from "../process-event";
import { usageEvent } from "../testing/events";
import { fakeBatch } from "../testing/fake-batch";
import { startD1 } from "../testing/harness";
import { startJudgeStub, type JudgeStub } from "../testing/judge-stub";
import { JudgeSchema } from "./config";
import { DEFAULT_JUDGE_POLICY, type JudgePolicy } from "./policy";

let d1: Awaited<ReturnType<typeof startD1>>;
let stub: JudgeStub;
const NOW = Date.parse("2026-11-27T02:10:01Z");

beforeAll(async () => {
  d1 = await startD1();
  // The cheap judge (model small-sim) finds BAD answers poor and is unsure about ODD ones; the strong one (frontier-sim) says 3.
  stub = await startJudgeStub((model, prompt) => (model === "frontier-sim" ? 3 : prompt.includes("BAD") ? { score: 2, confidence: 5 } : prompt.includes("ODD") ? { score: 4, confidence: 1 } : 5));
});
afterAll(async () => {
  await d1.dispose();
  await stub.close();
});

const noAudit = (extra: Partial<JudgePolicy> = {}): JudgePolicy => ({ ...DEFAULT_JUDGE_POLICY, escalation: { ...DEFAULT_JUDGE_POLICY.escalation, auditRate: 0 }, ...extra });

function deps(policy: JudgePolicy, extra: Partial<ConsumerDeps> = {}): ConsumerDeps {
  return {
    db: d1.db,
    judges: [
      JudgeSchema.parse({ name: "cheap", baseUrl: stub.url, model: "small-sim", tier: "cheap" }),
      JudgeSchema.parse({ name: "strong", baseUrl: stub.url, model: "frontier-sim", tier: "strong" }),
    ],
    sampling: { default: 1, rules: [] },
    policy,
    fetch: (u, i) => fetch(u, i),
    credential: () => undefined,
    concurrency: 1,
    maxJudgeAttempts: 3,
    now: () => NOW,
    ...extra,
  };
}

const answer = (id: string, tenantId: string, response: string, extra: Parameters<typeof usageEvent>[0] = {}) =>
  usageEvent({ requestId: id, tenantId, content: { messages: [{ role: "user", content: `Question ${id}?` }], response }, ...extra });

/** As Queues would: messages that were retried (a judge call lost under load) come back. */
async function consumeAll(events: ReturnType<typeof usageEvent>[], d: ConsumerDeps): Promise<void> {
  let pending = events;
  for (let attempt = 1; pending.length && attempt <= 3; attempt++) {
    const batch = fakeBatch(pending, attempt);
    await consumeBatch(batch, d);
    pending = pending.filter((_, i) => !batch.messages[i]?.acked);
  }
  expect(pending).toEqual([]);
}

const rows = async <T>(sql: string, ...args: unknown[]): Promise<T[]> => (await d1.db.prepare(sql).bind(...args).all<T>()).results;

async function coverage(tenantId: string) {
  return (await rows<Record<string, number>>("SELECT SUM(eligible) AS eligible, SUM(judged) AS judged, SUM(escalated) AS escalated, SUM(escalations_skipped) AS skipped, SUM(checks_only) AS checks_only, SUM(checks_failed) AS checks_failed FROM judge_coverage_hourly WHERE tenant_id = ?1", tenantId))[0];
}

describe("tiered judging", () => {
  it("the cheap judge scores every answer, the strong one only low or unsure verdicts; a replay changes nothing", async () => {
    const events = [answer("t1-good", "t-tier", "Fine."), answer("t1-bad", "t-tier", "BAD"), answer("t1-odd", "t-tier", "ODD"), answer("t1-good2", "t-tier", "Also fine.")];
    const before = stub.calls.length;
    expect(await consumeBatch(fakeBatch(events), deps(noAudit({ maxShareOfInference: null })))).toEqual({ acked: 4, retried: 0, deadLettered: 0 });
    const calls = stub.calls.slice(before).map((c) => c.model).sort();
    expect(calls).toEqual(["frontier-sim", "frontier-sim", "small-sim", "small-sim", "small-sim", "small-sim"]);
    const evals = await rows<{ request_id: string; score_mean: number; escalation: string | null; escalation_state: string | null }>(
      "SELECT request_id, score_mean, escalation, escalation_state FROM evaluations WHERE tenant_id = 't-tier' ORDER BY request_id",
    );
    expect(evals).toEqual([
      { request_id: "t1-bad", score_mean: 3, escalation: "low_score", escalation_state: "done" },
      { request_id: "t1-good", score_mean: 5, escalation: null, escalation_state: null },
      { request_id: "t1-good2", score_mean: 5, escalation: null, escalation_state: null },
      { request_id: "t1-odd", score_mean: 3, escalation: "unsure", escalation_state: "done" },
    ]);
    const judgeRows = await rows<{ request_id: string }>("SELECT request_id FROM usage_ledger WHERE tenant_id = 't-tier' AND kind = 'judge' ORDER BY request_id");
    expect(judgeRows.map((r) => r.request_id)).toEqual(["t1-bad#judge:cheap", "t1-bad#judge:strong", "t1-good#judge:cheap", "t1-good2#judge:cheap", "t1-odd#judge:cheap", "t1-odd#judge:strong"]);
    expect(await coverage("t-tier")).toMatchObject({ eligible: 4, judged: 4, escalated: 2, skipped: 0, checks_only: 0 });

    const again = stub.calls.length;
    await consumeBatch(fakeBatch(events, 2), deps(noAudit({ maxShareOfInference: null })));
    expect(stub.calls.length).toBe(again);
    expect(await coverage("t-tier")).toMatchObject({ eligible: 4, judged: 4, escalated: 2 });
  });

  it("keeps judge spend within 10% of inference spend: what it cannot buy falls back to the checks, counted once", async () => {
    // Small-tier answers cost ~1e-4 each; one cheap judge call ~1e-5: the 10% budget covers some, not all.
    const small = { model: "small-sim", tier: "small", usage: { input: { total: 60, cached: 0 }, output: { total: 250, reasoning: 0 }, source: "upstream" as const } };
    const events = Array.from({ length: 20 }, (_, i) => answer(`b-${i}`, "t-budget", i === 19 ? "Mail me at jane@example.com" : `Answer ${i}.`, small));
    await consumeAll(events, deps(noAudit()));
    const c = await coverage("t-budget");
    expect(c?.eligible).toBe(20);
    expect(c?.judged).toBeGreaterThan(0);
    expect(c?.checks_only).toBeGreaterThan(0);
    expect((c?.judged ?? 0) + (c?.checks_only ?? 0)).toBe(20);
    const spend = (await rows<{ kind: string; cost: number }>("SELECT kind, SUM(cost_usd) AS cost FROM usage_ledger WHERE tenant_id = 't-budget' GROUP BY kind ORDER BY kind"));
    const [judge, request] = [spend.find((s) => s.kind === "judge")?.cost ?? 0, spend.find((s) => s.kind === "request")?.cost ?? 0];
    expect(judge).toBeGreaterThan(0);
    expect(judge).toBeLessThanOrEqual(0.1 * request);
    const fallbacks = await rows<{ reason: string; hard_failure: number }>("SELECT reason, hard_failure FROM judge_fallbacks WHERE tenant_id = 't-budget'");
    expect(fallbacks.length).toBe(c?.checks_only);
    expect(new Set(fallbacks.map((f) => f.reason))).toEqual(new Set(["judge_budget"]));
    // The last answer leaks an email: the checks catch it even without a judge.
    expect(c?.checks_failed).toBe(1);

    const calls = stub.calls.length;
    await consumeBatch(fakeBatch(events, 2), deps(noAudit()));
    expect(stub.calls.length).toBe(calls);
    expect(await coverage("t-budget")).toEqual(c);
  });

  it("over the strong judges' part of the budget an escalation is skipped and the cheap verdict stands", async () => {
    // Small-tier answers: the budget pays for the cheap pass but not for frontier-sim.
    const small = { model: "small-sim", tier: "small", usage: { input: { total: 1000, cached: 0 }, output: { total: 3000, reasoning: 0 }, source: "upstream" as const } };
    await consumeBatch(fakeBatch([answer("s-bad", "t-skip", "BAD", small)]), deps(noAudit()));
    const [row] = await rows<{ score_mean: number; escalation_state: string }>("SELECT score_mean, escalation_state FROM evaluations WHERE request_id = 's-bad'");
    expect(row).toEqual({ score_mean: 2, escalation_state: "skipped" });
    expect(await coverage("t-skip")).toMatchObject({ eligible: 1, judged: 1, escalated: 0, skipped: 1 });
  });
});
