/** The evaluator inside workerd (Miniflare): queue deliveries, acks, retries, ledger rows. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec } from "../../../shared/crypto/envelope";
import { semanticHitEvent, usageEvent } from "./testing/events";
import { startEvaluator, type EvaluatorHarness } from "./testing/harness";
import { startJudgeStub, type JudgeStub } from "./testing/judge-stub";

let h: EvaluatorHarness;
let stub: JudgeStub;

beforeAll(async () => {
  stub = await startJudgeStub((model, prompt) => (prompt.includes("BAD ANSWER") ? (model === "frontier-sim" ? 1 : 2) : model === "frontier-sim" ? 5 : 4));
  const judges = [
    { name: "small", baseUrl: stub.url, model: "small-sim", weight: 1, version: "s1" },
    { name: "frontier", baseUrl: stub.url, model: "frontier-sim", weight: 1, version: "f1" },
  ];
  h = await startEvaluator({
    JUDGES: JSON.stringify(judges),
    JUDGE_SAMPLING: JSON.stringify({ default: 0, rules: [{ tenantId: "t-judged", rate: 1 }] }),
    CONTENT_ENCRYPTION_KEYS: generateKeySpec("k1"),
  });
});
afterAll(async () => {
  await h?.dispose();
  await stub?.close();
});

const count = async (sql: string, ...args: unknown[]): Promise<number> =>
  (await h.db.prepare(sql).bind(...args).first<{ n: number }>())?.n ?? 0;

describe("evaluator queue consumer (workerd)", () => {
  it("acks every valid message, writes one priced ledger row each and ignores a replay", async () => {
    const msgs = Array.from({ length: 5 }, (_, i) => ({ id: `q${i}`, body: usageEvent({ requestId: `wq-${i}`, tenantId: "t-wq" }) }));
    const res = await h.queue(msgs);
    expect(res.outcome).toBe("ok");
    expect([...res.explicitAcks].sort()).toEqual(msgs.map((m) => m.id).sort());
    expect(res.retryMessages).toEqual([]);
    const replay = await h.queue(msgs.map((m) => ({ ...m, attempts: 2 })));
    expect(replay.explicitAcks).toHaveLength(5);
    expect(await count("SELECT COUNT(*) AS n FROM usage_ledger WHERE tenant_id = ?1", "t-wq")).toBe(5);
    expect(await count("SELECT SUM(requests) AS n FROM usage_rollups_hourly WHERE tenant_id = ?1", "t-wq")).toBe(5);
    const row = await h.db.prepare("SELECT * FROM usage_ledger WHERE request_id = 'wq-0'").first<Record<string, unknown>>();
    expect(row).toMatchObject({ cost_usd: 0.00725, price_source: "table", cost_avoided_usd: 0.00275, feature: "support", tier: "frontier", route_complexity: 0.7 });
  });

  it("falls back to the event's cost for an unpriced model and prices cache hits at zero", async () => {
    await h.queue([
      { id: "u1", body: usageEvent({ requestId: "unpriced-1", tenantId: "t-price", model: "mystery-model", costUsd: 0.5 }) },
      { id: "u2", body: usageEvent({ requestId: "hit-1", tenantId: "t-price", cache: "hit-exact" }) },
    ]);
    const rows = await h.db.prepare("SELECT request_id, cost_usd, price_source FROM usage_ledger WHERE tenant_id = 't-price' ORDER BY request_id").all();
    expect(rows.results).toEqual([
      { request_id: "hit-1", cost_usd: 0, price_source: "table" },
      { request_id: "unpriced-1", cost_usd: 0.5, price_source: "event" },
    ]);
  });

  it("acks an invalid event after dead-lettering it (never retried forever)", async () => {
    const res = await h.queue([{ id: "bad", body: { version: 1, requestId: "" } }]);
    expect(res.explicitAcks).toEqual(["bad"]);
    expect(res.retryMessages).toEqual([]);
  });

  it("stores content only as an encrypted envelope", async () => {
    await h.queue([{ id: "c1", body: usageEvent({ requestId: "enc-1", tenantId: "t-enc" }) }]);
    const row = await h.db.prepare("SELECT * FROM request_traces WHERE request_id = 'enc-1'").first<Record<string, string>>();
    expect(row?.content_envelope).toMatch(/^gwe1/);
    expect(JSON.stringify(row)).not.toContain("refund window is 30 days");
    expect(JSON.parse(row?.content_meta_json ?? "{}")).toMatchObject({ placeholders: ["<PERSON_1>"] });
  });

  it("judges sampled answers with the panel and bills judge calls to the parent's tenant and feature", async () => {
    await h.queue([
      { id: "j1", body: usageEvent({ requestId: "judged-good", tenantId: "t-judged" }) },
      { id: "j2", body: usageEvent({ requestId: "judged-bad", tenantId: "t-judged", content: { messages: [{ role: "user", content: "q" }], response: "BAD ANSWER" } }) },
      { id: "j3", body: usageEvent({ requestId: "not-sampled", tenantId: "t-other" }) },
    ]);
    const evals = await h.db.prepare("SELECT request_id, score_mean, disagreement, status FROM evaluations WHERE tenant_id = 't-judged' ORDER BY request_id").all();
    expect(evals.results).toEqual([
      { request_id: "judged-bad", score_mean: 1.5, disagreement: 0, status: "ok" },
      { request_id: "judged-good", score_mean: 4.5, disagreement: 0, status: "ok" },
    ]);
    expect(await count("SELECT COUNT(*) AS n FROM evaluations WHERE tenant_id = 't-other'")).toBe(0);
    const judgeRows = await h.db
      .prepare("SELECT request_id, parent_request_id, feature, kind, cost_usd FROM usage_ledger WHERE parent_request_id = 'judged-good' ORDER BY request_id")
      .all<{ request_id: string; feature: string; kind: string; cost_usd: number }>();
    expect(judgeRows.results.map((r) => [r.request_id, r.feature, r.kind])).toEqual([
      ["judged-good#judge:frontier", "support", "judge"],
      ["judged-good#judge:small", "support", "judge"],
    ]);
    expect(judgeRows.results.every((r) => r.cost_usd > 0)).toBe(true);
  });

  it("audits a sampled semantic hit: the verdict lands in cache_audits with the configured pass score", async () => {
    const hit = semanticHitEvent("audited-hit", { cachedQuestion: "Refund window?", question: "How long is the refund window?", similarity: 0.9, answer: "BAD ANSWER" }, { tenantId: "t-cache" });
    const res = await h.queue([{ id: "a1", body: hit }]);
    expect(res.explicitAcks).toEqual(["a1"]);
    const row = await h.db.prepare("SELECT tenant_id, feature, entry_id, similarity, score_mean, correct, pass_score FROM cache_audits WHERE request_id = 'audited-hit'").first();
    expect(row).toEqual({ tenant_id: "t-cache", feature: "support", entry_id: "entry-audited-hit", similarity: 0.9, score_mean: 1.5, correct: 0, pass_score: 4 });
  });
});

describe("evaluator queue consumer with ROLLUP_DEDUP=message (workerd)", () => {
  it("rolls a pack up once per pack: a redelivery and a replay under a new message id add nothing", async () => {
    const m = await startEvaluator({ ROLLUP_DEDUP: "message" });
    try {
      const pack = { pack: 1, events: Array.from({ length: 4 }, (_, i) => usageEvent({ requestId: `wm-${i}`, tenantId: "t-wm", latencyMs: 100 * (i + 1) })) };
      expect((await m.queue([{ id: "p1", body: pack }])).explicitAcks).toEqual(["p1"]);
      expect((await m.queue([{ id: "p1", body: pack, attempts: 2 }])).explicitAcks).toEqual(["p1"]);
      expect((await m.queue([{ id: "p1-replayed", body: pack }])).explicitAcks).toEqual(["p1-replayed"]);
      const sums = await m.db.prepare("SELECT SUM(requests) AS n, ROUND(SUM(cost_usd), 6) AS c, SUM(latency_ms_sum) AS l FROM usage_rollups_hourly WHERE tenant_id = 't-wm'").first();
      expect(sums).toEqual({ n: 4, c: 0.029, l: 1000 });
      const consumed = await m.db.prepare("SELECT message_id, events FROM consumed_messages").all();
      expect(consumed.results).toEqual([{ message_id: "p1", events: 4 }]);
    } finally {
      await m.dispose();
    }
  });
});
