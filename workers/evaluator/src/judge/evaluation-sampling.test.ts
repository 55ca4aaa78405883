/** Sampled evaluation rows through the real consumer, on Miniflare's D1 and R2, with a loopback judge. */
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayOf } from "../../../../shared/archive/layout";
import { readArchivedDay } from "../../../../shared/archive/read-day";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { consumeBatch } from "../consume-batch";
import type { ConsumerDeps } from "../process-event";
import { offlineConsumerDeps } from "../testing/consumer-deps";
import { usageEvent } from "../testing/events";
import { fakeBatch } from "../testing/fake-batch";
import { startJudgeStub, type JudgeStub } from "../testing/judge-stub";
import { applyMigrations } from "../testing/migrations";
import { unitDraw } from "../../../../shared/hash/unit-draw";
import { parseJudges } from "./config";
import { evaluationPlacement, parseEvaluationSampling } from "./evaluation-sampling";
import { parseJudgePolicy } from "./policy";

const T0 = Date.parse("2026-11-28T10:00:00Z");
const RATE = 0.3;
let mf: Miniflare;
let db: D1Database;
let bucket: R2Bucket;
let stub: JudgeStub;

// 24 answers, a third of them poor (escalated: the strong judge updates them later, so they stay in D1).
const EVENTS: UsageEvent[] = Array.from({ length: 24 }, (_, i) =>
  usageEvent({
    requestId: `eval-${i}-req`, tenantId: i % 2 ? "acme" : "beta", completedAt: T0 + i * 1_000, tier: i % 3 ? "small" : "frontier", model: i % 3 ? "small-sim" : "frontier-sim",
    content: { messages: [{ role: "user", content: `Question ${i} about the refund window?` }], response: i % 3 === 0 ? "POOR: unsure." : `The refund window is ${i} days.` },
  }),
);
const drawn = (id: string): boolean => unitDraw(id) < RATE;
const poor = (e: UsageEvent): boolean => e.content?.response.startsWith("POOR") === true;

function deps(): ConsumerDeps {
  return offlineConsumerDeps(db, {
    judges: parseJudges(JSON.stringify([
      { name: "cheap", baseUrl: `${stub.url}/v1`, model: "small-sim", tier: "cheap", batch: 8 },
      { name: "strong", baseUrl: `${stub.url}/v1`, model: "frontier-sim", tier: "strong" },
    ])),
    sampling: { default: 1, rules: [] },
    policy: parseJudgePolicy('{"maxShareOfInference":null,"escalation":{"auditRate":0}}'),
    fetch: (input, init) => fetch(input, init),
    // A queue that accepts escalations: escalated rows stay 'pending' in D1.
    escalations: { send: async () => undefined, sendBatch: async () => undefined } as unknown as Queue,
    evaluationSampling: parseEvaluationSampling(`{"default":${RATE}}`),
    evaluationArchive: bucket,
    now: () => T0 + 3_600_000,
  });
}

const rows = async (sql: string): Promise<Record<string, unknown>[]> => (await db.prepare(sql).all<Record<string, unknown>>()).results;

async function archived(): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const tenant of ["acme", "beta"]) for await (const chunk of readArchivedDay(bucket, "evaluations", tenant, dayOf(T0))) out.push(...(chunk as Record<string, unknown>[]));
  return out;
}

beforeAll(async () => {
  mf = new Miniflare({ modules: true, script: "export default { fetch() { return new Response('ok'); } }", compatibilityDate: "2026-04-01", d1Databases: { DB: "evaluation-sampling" }, r2Buckets: ["ARCHIVE"] });
  db = (await mf.getD1Database("DB")) as unknown as D1Database;
  bucket = (await mf.getR2Bucket("ARCHIVE")) as unknown as R2Bucket;
  await applyMigrations(db);
  stub = await startJudgeStub((_model, text) => (text.includes("POOR") ? { score: 2, confidence: 4 } : 5));
  await consumeBatch(fakeBatch(EVENTS), deps());
});
afterAll(async () => {
  await stub?.close();
  await mf?.dispose();
});

describe("EVALUATION_SAMPLING", () => {
  it("keeps the drawn rows and pending escalations in D1 and puts the rest in R2, each once", async () => {
    const inD1 = await rows("SELECT request_id, sampled, escalation_state FROM evaluations ORDER BY request_id");
    const expected = EVENTS.filter((e) => drawn(e.requestId) || poor(e)).map((e) => e.requestId).sort();
    expect(inD1.map((r) => r.request_id)).toEqual(expected);
    // A row kept only for its escalation is marked, so score aggregates read the drawn ones alone.
    for (const r of inD1) expect(r.sampled).toBe(drawn(String(r.request_id)) ? 1 : 0);
    const back = await archived();
    expect(back.map((r) => r.request_id).sort()).toEqual(EVENTS.filter((e) => !drawn(e.requestId) && !poor(e)).map((e) => e.requestId).sort());
    expect(back[0]).toMatchObject({ status: "ok", score_mean: 5, escalation_state: null, sampled: 1 });
    expect(expected.length + back.length).toBe(EVENTS.length);
  });

  it("still bills every judged answer and counts it in the coverage rollup", async () => {
    const judges = await rows("SELECT COUNT(*) AS n FROM usage_ledger WHERE kind = 'judge' AND request_id LIKE '%#judge:cheap'");
    expect(judges[0]?.n).toBe(EVENTS.length);
    const coverage = await rows("SELECT SUM(eligible) AS eligible, SUM(judged) AS judged FROM judge_coverage_hourly");
    expect(coverage[0]).toEqual({ eligible: EVENTS.length, judged: EVENTS.length });
  });

  it("a redelivery judges nothing again, writes no second row and counts nothing twice", async () => {
    const calls = stub.calls.length;
    const objects = (await bucket.list()).objects.map((o) => o.key).sort();
    await consumeBatch(fakeBatch(EVENTS, 2), deps());
    expect(stub.calls.length).toBe(calls);
    expect((await bucket.list()).objects.map((o) => o.key).sort()).toEqual(objects);
    const coverage = await rows("SELECT SUM(judged) AS judged FROM judge_coverage_hourly");
    expect(coverage[0]?.judged).toBe(EVENTS.length);
    expect((await archived()).length + (await rows("SELECT request_id FROM evaluations")).length).toBe(EVENTS.length);
  });

  it("places everything in D1 by default or without a bucket; a shadow is drawn with its request", () => {
    const e = usageEvent({ requestId: "x" });
    expect(evaluationPlacement(e, false, {})).toEqual({ inD1: true, sampled: true });
    expect(evaluationPlacement(e, false, { evaluationSampling: parseEvaluationSampling(undefined), evaluationArchive: { put: async () => undefined } })).toEqual({ inD1: true, sampled: true });
    const d = { evaluationSampling: parseEvaluationSampling('{"default":0.5}'), evaluationArchive: { put: async () => undefined } };
    const id = Array.from({ length: 40 }, (_, i) => `r${i}`).find((r) => unitDraw(r) < 0.5 && unitDraw(`${r}:shadow`) >= 0.5) as string;
    expect(evaluationPlacement(usageEvent({ requestId: `${id}:shadow`, decisions: { shadowOf: id } }), false, d)).toEqual({ inD1: true, sampled: true });
  });
});
