/**
 * The fine-tuning and retraining exports of a default deployment: no cascade, JUDGE_DRAFTS unset,
 * every answer judged by the cheap judge. Traffic goes through the real consumer (a loopback
 * judge, content sealed), so the rows are the ones the evaluator writes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, keyringFromEnv, type Keyring } from "../../../../shared/crypto/envelope";
import { FineTuningExampleSchema, type FineTuningExample } from "../../../../shared/schemas/fine-tuning-example";
import { RouterTrainingExampleSchema } from "../../../../shared/schemas/router-training-example";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { usageEvent } from "../../../evaluator/src/testing/events";
import { startD1 } from "../../../evaluator/src/testing/harness";
import { startJudgeStub, type JudgeStub } from "../../../evaluator/src/testing/judge-stub";
import { streamFineTuningJsonl } from "./fine-tuning-export";
import { streamRetrainingJsonl } from "./retraining-export";
import { ingest, judgedDeps } from "./test-fixtures";

let d1: Awaited<ReturnType<typeof startD1>>;
let stub: JudgeStub;
let keyring: Keyring;
const T = Date.parse("2026-12-01T09:00:00Z");

function answer(id: string, tenantId: string, tier: "small" | "frontier", question: string, response: string, at: number): UsageEvent {
  return usageEvent({
    requestId: id,
    tenantId,
    completedAt: at,
    tier,
    model: tier === "small" ? "small-sim" : "frontier-sim",
    content: { messages: [{ role: "system", content: "You answer for <PERSON_1>'s shop." }, { role: "user", content: question }], response },
  });
}

const TRAFFIC: UsageEvent[] = [
  answer("f1", "acme", "frontier", "How long do refunds take?", "Refunds take five days; Maria Lopez in billing signs them off.", T),
  answer("f2", "acme", "frontier", "Can I change my plan?", "POOR: maybe, not sure.", T + 1),
  answer("s3", "acme", "small", "What are your opening hours?", "We open at nine and close at six.", T + 2),
  answer("s4", "acme", "small", "Do you ship abroad?", "POOR: shipping is a thing.", T + 3),
  answer("f5", "beta", "frontier", "How long do refunds take?", "Refunds take five days.", T + 4),
];

beforeAll(async () => {
  d1 = await startD1();
  keyring = await keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: generateKeySpec("k1") });
  stub = await startJudgeStub((_model, text) => (text.includes("POOR") ? 2 : 5));
  for (const [id, at] of [["acme", T], ["beta", T]] as const) await d1.db.prepare("INSERT INTO tenants (id, name, created_at) VALUES (?1, ?1, ?2)").bind(id, at).run();
  // acme consents to its frontier answers teaching the small tier; beta does not.
  await d1.db.prepare("INSERT INTO tenant_settings (tenant_id, feature, settings_json, updated_at) VALUES ('acme', '', ?1, ?2)").bind(JSON.stringify({ datasets: { fineTuningTeachers: true } }), T).run();
  await d1.db.prepare("INSERT INTO tenant_settings (tenant_id, feature, settings_json, updated_at) VALUES ('beta', '', ?1, ?2)").bind(JSON.stringify({ retention: { tracesDays: 7 } }), T).run();
  await ingest(d1.db, TRAFFIC, judgedDeps(stub.url, keyring, T + 60_000));
});
afterAll(async () => {
  await stub?.close();
  await d1?.dispose();
});

async function lines(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  return (await new Response(stream).text()).trim().split("\n").filter(Boolean);
}
const examples = async (stream: ReadableStream<Uint8Array>): Promise<FineTuningExample[]> => (await lines(stream)).map((l) => FineTuningExampleSchema.parse(JSON.parse(l)));

describe("exports of a default deployment (no cascade, drafts not judged)", () => {
  it("every answer was judged by the consumer and its exchange stored sealed, never in clear", async () => {
    const judged = await d1.db.prepare("SELECT request_id, score_mean FROM evaluations ORDER BY request_id").all<{ request_id: string; score_mean: number }>();
    expect(judged.results.map((r) => [r.request_id, r.score_mean])).toEqual([["f1", 5], ["f2", 2], ["f5", 5], ["s3", 5], ["s4", 2]]);
    const traces = await d1.db.prepare("SELECT content_envelope FROM request_traces").all<{ content_envelope: string }>();
    expect(traces.results).toHaveLength(5);
    for (const t of traces.results) {
      expect(t.content_envelope).toMatch(/^gwe1\./);
      // Whole phrases: a short word can turn up by chance in random base64url ciphertext.
      for (const clear of ["How long do refunds", "Maria Lopez", "opening hours", "We open at nine", "POOR: maybe"]) expect(t.content_envelope).not.toContain(clear);
    }
  });

  it("exports the opted-in tenant's well-judged frontier answers as teacher examples, re-redacted", async () => {
    const out = await examples(streamFineTuningJsonl(d1.db, { since: T - 1, keyring, meta: "true", pageSize: 1 }));
    expect(out.map((e) => e.metadata)).toEqual([{ source: "teacher", request_id: "f1", teacher_model: "frontier-sim", teacher_score: 5 }]);
    expect(out[0]?.messages).toEqual([
      { role: "system", content: "You answer for <PERSON_1>'s shop." },
      { role: "user", content: "How long do refunds take?" },
      { role: "assistant", content: "Refunds take five days; <PERSON_2> in billing signs them off.", weight: 1 },
    ]);
  });

  it("exports nothing of a tenant without the opt-in, nor teachers when asked for pairs only", async () => {
    expect(await lines(streamFineTuningJsonl(d1.db, { since: T - 1, tenantId: "beta", keyring }))).toEqual([]);
    expect(await lines(streamFineTuningJsonl(d1.db, { since: T - 1, tenantId: "acme", keyring, teachers: "false" }))).toEqual([]);
  });

  it("gives router:train a small_ok label for every small-tier answer", async () => {
    const rows = (await lines(streamRetrainingJsonl(d1.db, { since: T - 1, tenantId: "acme", keyring }))).map((l) => RouterTrainingExampleSchema.parse(JSON.parse(l)));
    const labels = Object.fromEntries(rows.filter((r) => r.small_ok !== undefined).map((r) => [r.request_id, r.small_ok]));
    expect(labels).toEqual({ s3: true, s4: false });
  });
});
