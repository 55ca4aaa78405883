/** Escalations through the strong-judge queue, in workerd with Miniflare running that queue. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec } from "../../../../shared/crypto/envelope";
import { startOtlpReceiver, type OtlpReceiver } from "../../../../shared/otel/otlp-receiver";
import { usageEvent } from "../testing/events";
import { startEvaluator, type EvaluatorHarness } from "../testing/harness";
import { startJudgeStub, type JudgeStub } from "../testing/judge-stub";
import { ESCALATION_QUEUE, escalationMessage } from "./escalation";

let h: EvaluatorHarness;
let stub: JudgeStub;
let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  stub = await startJudgeStub((model, prompt) => (model === "frontier-sim" ? 4 : prompt.includes("BAD") ? 1 : 5));
  h = await startEvaluator({
    JUDGES: JSON.stringify([
      { name: "cheap", baseUrl: stub.url, model: "small-sim", tier: "cheap" },
      { name: "strong", baseUrl: stub.url, model: "frontier-sim", tier: "strong" },
    ]),
    JUDGE_SAMPLING: '{"default":1}',
    JUDGE_POLICY: '{"maxShareOfInference":null,"escalation":{"auditRate":0}}',
    CONTENT_ENCRYPTION_KEYS: generateKeySpec("k1"),
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
  });
});
afterAll(async () => {
  await h?.dispose();
  await stub?.close();
  await receiver?.close();
});

async function evaluation(id: string, state: string): Promise<Record<string, unknown>> {
  const end = Date.now() + 15_000;
  for (;;) {
    const row = await h.db.prepare("SELECT score_mean, escalation, escalation_state, judges_json FROM evaluations WHERE request_id = ?1").bind(id).first<Record<string, unknown>>();
    if (row?.["escalation_state"] === state) return row;
    if (Date.now() > end) throw new Error(`evaluation ${id} never reached ${state}: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const strongCalls = (): number => stub.calls.filter((c) => c.model === "frontier-sim").length;

describe("strong-judge escalation queue (workerd)", () => {
  it("acks the usage message after the cheap pass; the queued strong verdict replaces it once", async () => {
    const ev = usageEvent({ requestId: "esc-1", tenantId: "t-esc", content: { messages: [{ role: "user", content: "Refund window?" }], response: "BAD" } });
    const res = await h.queue([{ id: "u1", body: ev }]);
    expect(res.explicitAcks).toEqual(["u1"]);
    const row = await evaluation("esc-1", "done");
    expect(row).toMatchObject({ score_mean: 4, escalation: "low_score" });
    expect(JSON.parse(String(row["judges_json"])).map((j: { name: string; tier: string }) => `${j.name}:${j.tier}`)).toEqual(["cheap:cheap", "strong:strong"]);
    expect(strongCalls()).toBe(1);

    // A duplicate escalation (redelivered usage message, or a redelivered escalation) changes and bills nothing.
    await h.queue([{ id: "u1", body: ev, attempts: 2 }]);
    const dup = await h.queue([{ id: "e1", body: escalationMessage(ev, ev.content!, ["low_score"], undefined), attempts: 2 }], ESCALATION_QUEUE);
    expect(dup.explicitAcks).toEqual(["e1"]);
    expect(strongCalls()).toBe(1);
    const ledger = await h.db.prepare("SELECT request_id FROM usage_ledger WHERE parent_request_id = 'esc-1' ORDER BY request_id").all<{ request_id: string }>();
    expect(ledger.results.map((r) => r.request_id)).toEqual(["esc-1#judge:cheap", "esc-1#judge:strong"]);
    const cov = await h.db.prepare("SELECT eligible, judged, escalated FROM judge_coverage_hourly WHERE tenant_id = 't-esc'").first();
    expect(cov).toEqual({ eligible: 1, judged: 1, escalated: 1 });
  });

  it("exports the strong re-score to the request's trace as gen_ai.evaluation.result events marked escalated, once", async () => {
    const traceId = "5".repeat(32);
    const serverSpan = "a".repeat(16);
    const ev = usageEvent({
      requestId: "esc-otel",
      tenantId: "t-esc-otel",
      decisions: { traceparent: `00-${traceId}-${serverSpan}-01` },
      content: { messages: [{ role: "user", content: "Refund window?" }], response: "BAD" },
    });
    await h.queue([{ id: "u-otel", body: ev }]);
    const row = await evaluation("esc-otel", "done");
    const spans = await receiver.waitFor((all) => all.some((s) => s.traceId === traceId && s.name === "evaluation escalation"), 15_000);
    const first = spans.find((s) => s.traceId === traceId && s.name === "evaluation");
    const rescore = spans.find((s) => s.traceId === traceId && s.name === "evaluation escalation");
    expect(first?.events.find((e) => e.attributes["gen_ai.evaluation.name"] === "panel")?.attributes).toMatchObject({ "gen_ai.evaluation.score.value": 1 });
    expect(first?.attributes["gateway.evaluation.escalated"]).toBeUndefined();
    expect(rescore).toMatchObject({ parentSpanId: serverSpan, service: "llm-gateway-evaluator" });
    expect(rescore?.attributes).toMatchObject({ "gen_ai.operation.name": "evaluation", "gateway.request.id": "esc-otel", "gateway.evaluation.escalated": true, "gateway.evaluation.escalation_reasons": "low_score" });
    const results = rescore?.events.filter((e) => e.name === "gen_ai.evaluation.result") ?? [];
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((e) => e.attributes["gateway.evaluation.escalated"] === true)).toBe(true);
    expect(results.find((e) => e.attributes["gen_ai.evaluation.name"] === "panel")?.attributes["gen_ai.evaluation.score.value"]).toBe(row["score_mean"]);

    // A redelivered escalation stores nothing, so it exports nothing either.
    await h.queue([{ id: "e-otel", body: escalationMessage(ev, ev.content!, ["low_score"], undefined), attempts: 2 }], ESCALATION_QUEUE);
    await new Promise((r) => setTimeout(r, 600)); // past the exporter's 250 ms linger
    expect(receiver.spans.filter((s) => s.traceId === traceId && s.name === "evaluation escalation")).toHaveLength(1);
  });

  it("dead-letters a malformed escalation instead of retrying it", async () => {
    const res = await h.queue([{ id: "bad", body: { type: "judge-escalation", request: {} } }], ESCALATION_QUEUE);
    expect(res.explicitAcks).toEqual(["bad"]);
  });
});
