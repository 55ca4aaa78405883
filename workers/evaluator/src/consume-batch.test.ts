import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { offlineConsumerDeps } from "./testing/consumer-deps";
import { backoffSeconds, consumeBatch } from "./consume-batch";
import { JudgeSchema } from "./judge/config";
import { DEFAULT_JUDGE_POLICY } from "./judge/policy";
import type { ConsumerDeps } from "./process-event";
import { usageEvent } from "./testing/events";
import { failingOnBatch, fakeBatch } from "./testing/fake-batch";
import { startD1 } from "./testing/harness";

let d1: Awaited<ReturnType<typeof startD1>>;
beforeAll(async () => {
  d1 = await startD1();
});
afterAll(() => d1.dispose());

function deps(db: D1Database, extra: Partial<ConsumerDeps> = {}): ConsumerDeps {
  return offlineConsumerDeps(db, { concurrency: 3, maxJudgeAttempts: 3, policy: { ...DEFAULT_JUDGE_POLICY, maxShareOfInference: null }, now: () => Date.parse("2026-11-27T02:10:01Z"), ...extra });
}

async function totals(tenantId: string): Promise<{ rows: number; requests: number; cost: number; ledgerCost: number }> {
  const l = await d1.db.prepare("SELECT COUNT(*) AS n, SUM(cost_usd) AS c FROM usage_ledger WHERE tenant_id = ?1").bind(tenantId).first<{ n: number; c: number }>();
  const r = await d1.db
    .prepare("SELECT SUM(requests) AS n, SUM(cost_usd) AS c FROM usage_rollups_hourly WHERE tenant_id = ?1")
    .bind(tenantId)
    .first<{ n: number; c: number }>();
  return { rows: l?.n ?? 0, requests: r?.n ?? 0, cost: r?.c ?? 0, ledgerCost: l?.c ?? 0 };
}

describe("consumeBatch", () => {
  it("loses nothing and doubles nothing when D1 fails on the k-th message and the batch is redelivered", async () => {
    const events = Array.from({ length: 10 }, (_, i) => usageEvent({ requestId: `crash-${i}`, tenantId: "t-crash" }));
    // Call 1 seeds prices; call 2 is the chunk transaction (fails: the whole chunk rolls
    // back); calls 3.. are the per-event fallback, where the 4th event's write fails too.
    const faulty = failingOnBatch(d1.db, new Set([2, 6]));
    const first = fakeBatch(events);
    const summary = await consumeBatch(first, deps(faulty));
    expect(summary).toEqual({ acked: 9, retried: 1, deadLettered: 0 });
    const failed = first.messages.filter((m) => !m.acked);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.retryDelay).toBe(backoffSeconds(1));
    expect((await totals("t-crash")).rows).toBe(9);

    // Worst case after a crash: every message comes back (acks lost), not just the retried one.
    const again = fakeBatch(events, 2);
    expect(await consumeBatch(again, deps(d1.db))).toEqual({ acked: 10, retried: 0, deadLettered: 0 });
    const t = await totals("t-crash");
    expect(t.rows).toBe(10);
    expect(t.requests).toBe(10);
    expect(t.cost).toBeCloseTo(t.ledgerCost, 10);
    expect(t.cost).toBeCloseTo(10 * 0.00725, 10);
  });

  it("keeps ledger and rollup consistent when the process dies after some writes (nothing acked)", async () => {
    const events = Array.from({ length: 6 }, (_, i) => usageEvent({ requestId: `die-${i}`, tenantId: "t-die" }));
    const faulty = failingOnBatch(d1.db, new Set([2, 5, 6, 7, 8]));
    const first = fakeBatch(events);
    await consumeBatch(first, deps(faulty, { concurrency: 1 }));
    expect((await totals("t-die")).rows).toBe(2);
    await consumeBatch(fakeBatch(events, 2), deps(d1.db));
    await consumeBatch(fakeBatch(events, 3), deps(d1.db));
    const t = await totals("t-die");
    expect(t).toMatchObject({ rows: 6, requests: 6 });
  });

  it("dead-letters an invalid event with a reason instead of retrying it", async () => {
    const sent: unknown[] = [];
    const dlq = { send: async (body: unknown) => void sent.push(body), sendBatch: async () => undefined } as unknown as Queue;
    const batch = fakeBatch([{ version: 99, requestId: "x" }, "not json", usageEvent({ requestId: "ok-1", tenantId: "t-dlq" })]);
    expect(await consumeBatch(batch, deps(d1.db, { dlq }))).toEqual({ acked: 1, retried: 0, deadLettered: 2 });
    expect(batch.messages.every((m) => m.acked)).toBe(true);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({ messageId: "m0", reason: expect.stringContaining("version") });
    expect(sent[1]).toMatchObject({ messageId: "m1", reason: "body is not JSON" });
  });

  it("records every event of a pack, dead-letters a malformed one on its own, and acks the pack once", async () => {
    const sent: unknown[] = [];
    const dlq = { send: async (body: unknown) => void sent.push(body), sendBatch: async () => undefined } as unknown as Queue;
    const pack = { pack: 1, events: [usageEvent({ requestId: "pk-0", tenantId: "t-pack" }), { version: 99, requestId: "bad" }, usageEvent({ requestId: "pk-2", tenantId: "t-pack" })] };
    const batch = fakeBatch([pack]);
    expect(await consumeBatch(batch, deps(d1.db, { dlq }))).toEqual({ acked: 2, retried: 0, deadLettered: 1 });
    expect(batch.messages[0]).toMatchObject({ acked: true, retryDelay: null });
    expect(sent).toEqual([expect.objectContaining({ messageId: "m0", body: { version: 99, requestId: "bad" }, reason: expect.stringContaining("version") })]);
    expect((await totals("t-pack")).rows).toBe(2);
  });

  it("accepts a pack sent as text, as the gateway sends it", async () => {
    const text = JSON.stringify({ pack: 1, events: [usageEvent({ requestId: "pk-text-0", tenantId: "t-pack-text" }), usageEvent({ requestId: "pk-text-1", tenantId: "t-pack-text" })] });
    const batch = fakeBatch([text]);
    expect(await consumeBatch(batch, deps(d1.db))).toEqual({ acked: 2, retried: 0, deadLettered: 0 });
    expect((await totals("t-pack-text")).rows).toBe(2);
  });

  it("retries a whole pack when one event's write fails; the redelivery counts nothing twice", async () => {
    const pack = { pack: 1, events: Array.from({ length: 5 }, (_, i) => usageEvent({ requestId: `pk-crash-${i}`, tenantId: "t-pack-crash" })) };
    // Call 1 seeds prices, call 2 is the chunk (fails), then one write per event: the 2nd fails.
    const first = fakeBatch([pack]);
    expect(await consumeBatch(first, deps(failingOnBatch(d1.db, new Set([2, 4]))))).toEqual({ acked: 4, retried: 1, deadLettered: 0 });
    expect(first.messages[0]).toMatchObject({ acked: false, retryDelay: backoffSeconds(1) });
    expect((await totals("t-pack-crash")).rows).toBe(4);
    const again = fakeBatch([pack], 2);
    expect(await consumeBatch(again, deps(d1.db))).toEqual({ acked: 5, retried: 0, deadLettered: 0 });
    expect(again.messages[0]?.acked).toBe(true);
    expect(await totals("t-pack-crash")).toMatchObject({ rows: 5, requests: 5 });
  });

  it("retries while the judges are down, then records the gap and acks (ledger still counted once)", async () => {
    const judges = [JudgeSchema.parse({ name: "j", baseUrl: "http://127.0.0.1:9/v1", model: "small-sim", timeoutMs: 1000 })];
    const down = deps(d1.db, { judges, sampling: { default: 1, rules: [] }, fetch: () => Promise.reject(new Error("connection refused")), maxJudgeAttempts: 2 });
    const ev = usageEvent({ requestId: "judge-down", tenantId: "t-jd" });
    const first = fakeBatch([ev], 1);
    expect(await consumeBatch(first, down)).toEqual({ acked: 0, retried: 1, deadLettered: 0 });
    expect(first.messages[0]?.retryDelay).toBe(2);
    expect(await consumeBatch(fakeBatch([ev], 2), down)).toEqual({ acked: 1, retried: 0, deadLettered: 0 });
    const evaluation = await d1.db.prepare("SELECT status FROM evaluations WHERE request_id = 'judge-down'").first();
    expect(evaluation).toEqual({ status: "error" });
    expect((await totals("t-jd")).requests).toBe(1);
  });

  it("bills judge calls that were answered off-format, once per delivery attempt, though nothing was scored", async () => {
    const judges = [JudgeSchema.parse({ name: "j", baseUrl: "http://judge.test/v1", model: "small-sim", timeoutMs: 1000 })];
    const offFormat: ConsumerDeps["fetch"] = async () =>
      Response.json({ id: "c", object: "chat.completion", model: "small-sim", choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "I think 4/5" } }], usage: { prompt_tokens: 100_000, completion_tokens: 10, total_tokens: 100_010 } });
    const chatty = deps(d1.db, { judges, sampling: { default: 1, rules: [] }, fetch: offFormat, maxJudgeAttempts: 2 });
    const ev = usageEvent({ requestId: "judge-chatty", tenantId: "t-jc" });
    expect(await consumeBatch(fakeBatch([ev], 1), chatty)).toEqual({ acked: 0, retried: 1, deadLettered: 0 });
    expect(await consumeBatch(fakeBatch([ev], 1), chatty)).toEqual({ acked: 0, retried: 1, deadLettered: 0 }); // attempt 1 replayed
    expect(await consumeBatch(fakeBatch([ev], 2), chatty)).toEqual({ acked: 1, retried: 0, deadLettered: 0 });
    const judged = await d1.db.prepare("SELECT request_id, cost_usd FROM usage_ledger WHERE tenant_id = 't-jc' AND kind = 'judge' ORDER BY request_id").all<{ request_id: string; cost_usd: number }>();
    expect(judged.results.map((r) => r.request_id)).toEqual(["judge-chatty#judge-failed-1:j", "judge-chatty#judge-failed-2:j"]);
    for (const r of judged.results) expect(r.cost_usd).toBeGreaterThan(0);
  });

  it("judges an event carried by two messages of one batch once", async () => {
    let calls = 0;
    const judges = [JudgeSchema.parse({ name: "j", baseUrl: "http://judge.test/v1", model: "small-sim", timeoutMs: 1000 })];
    const judge: ConsumerDeps["fetch"] = async () => {
      calls++;
      return Response.json({ id: "c", object: "chat.completion", model: "small-sim", choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: '{"verdicts": [[4, 5]]}' } }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
    };
    const ev = usageEvent({ requestId: "judge-twice", tenantId: "t-jt" });
    const summary = await consumeBatch(fakeBatch([ev, ev], 1), deps(d1.db, { judges, sampling: { default: 1, rules: [] }, fetch: judge }));
    expect(summary).toEqual({ acked: 2, retried: 0, deadLettered: 0 });
    const perPanel = calls;
    expect(perPanel).toBeGreaterThan(0);
    // One panel run: as many calls as a single event costs (a second event id would double it).
    await consumeBatch(fakeBatch([usageEvent({ requestId: "judge-once", tenantId: "t-jt" })], 1), deps(d1.db, { judges, sampling: { default: 1, rules: [] }, fetch: judge }));
    expect(calls).toBe(2 * perPanel);
  });

  it("rolls a chunk up in one upsert that counts what one row at a time would (a 499 is not an error)", async () => {
    const events = [
      usageEvent({ requestId: "ru-ok", tenantId: "t-rollup" }),
      usageEvent({ requestId: "ru-499", tenantId: "t-rollup", status: 499, errorCode: "client_closed" }),
      usageEvent({ requestId: "ru-500", tenantId: "t-rollup", status: 500, errorCode: "upstream_error" }),
      usageEvent({ requestId: "ru-hit", tenantId: "t-rollup", cache: "hit-exact" }),
    ];
    await consumeBatch(fakeBatch(events), deps(d1.db));
    await consumeBatch(fakeBatch(events, 2), deps(d1.db));
    const r = await d1.db.prepare("SELECT SUM(requests) AS requests, SUM(errors) AS errors, SUM(cache_hits) AS hits FROM usage_rollups_hourly WHERE tenant_id = 't-rollup'").first();
    expect(r).toEqual({ requests: 4, errors: 1, hits: 1 });
    const t = await totals("t-rollup");
    expect(t.cost).toBeCloseTo(t.ledgerCost, 10);
  });

  it("backs off exponentially with a cap", () => {
    expect([1, 2, 3, 4, 20].map(backoffSeconds)).toEqual([2, 4, 8, 16, 300]);
  });
});
