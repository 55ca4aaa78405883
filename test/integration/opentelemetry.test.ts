/**
 * OpenTelemetry traces end to end: the gateway (and evaluator) in workerd export OTLP/HTTP
 * JSON to a loopback receiver this test starts; the simulator's request log shows the
 * traceparent each upstream call carried.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../../shared/otel/otlp-receiver";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";

let stack: Stack;
let receiver: OtlpReceiver;
let key: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_HEADERS: "x-collector-token=t0k%20en" };
  stack = await startStack({ vars: otel, evaluator: true, evaluatorVars: otel });
  ({ key } = await seedKey(stack, { role: "service" }));
});
afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";

const trace = (traceId: string, minSpans: number) => receiver.waitFor((all) => all.filter((s) => s.traceId === traceId).length >= minSpans).then((all) => all.filter((s) => s.traceId === traceId));
const byName = (spans: ReceivedSpan[], name: string) => spans.find((s) => s.name === name);

describe("OpenTelemetry GenAI traces", () => {
  it("joins the caller's trace: server span, a span per stage, a CLIENT span per upstream call; traceparent goes upstream", async () => {
    stack.sim.reset();
    const res = await stack.fetch("/v1/chat/completions", {
      method: "POST",
      headers: bearer(key, { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`, tracestate: "vendor=x", "x-feature": "otel", "cache-control": "no-cache, no-store" }),
      body: JSON.stringify({ model: "small-sim", max_tokens: 16, temperature: 0.2, messages: [{ role: "user", content: "Trace this request" }] }),
    });
    expect(res.status).toBe(200);
    await res.text();
    const spans = await trace(CALLER_TRACE, 5);
    const server = byName(spans, "POST /v1/chat/completions");
    expect(server).toMatchObject({ parentSpanId: CALLER_SPAN, kind: 2, status: 0, service: "llm-gateway" });
    expect(server?.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.route": "/v1/chat/completions",
      "http.response.status_code": 200,
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "small-sim",
      "gen_ai.response.model": "small-sim",
      "gen_ai.provider.name": "openai-compatible",
      "gen_ai.request.max_tokens": 16,
      "gen_ai.request.temperature": 0.2,
      "gen_ai.response.finish_reasons": [expect.any(String)],
      "gateway.route.reason": "explicit_model",
      "gateway.route.tier": "small",
      "gateway.feature": "otel",
      "gateway.fallback.chain": ["small-sim:ok"],
      "gateway.request.id": res.headers.get("x-request-id"),
    });
    expect(server?.attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
    expect(server?.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
    expect(server?.attributes["gen_ai.input.messages"]).toBeUndefined(); // content is opt-in
    for (const stage of ["auth", "parse", "guardrails", "cache", "route", "upstream"]) {
      expect(byName(spans, stage), stage).toMatchObject({ parentSpanId: server?.spanId, kind: 1 });
    }
    const attempt = byName(spans, "chat small-sim");
    expect(attempt).toMatchObject({ kind: 3, parentSpanId: byName(spans, "upstream")?.spanId });
    expect(attempt?.attributes).toMatchObject({ "gen_ai.operation.name": "chat", "gen_ai.request.model": "small-sim", "gen_ai.response.model": "small-sim", "server.address": "127.0.0.1", "gateway.attempt.outcome": "ok" });
    const guardrails = byName(spans, "guardrails");
    expect(guardrails?.events.map((e) => e.name)).toEqual(expect.arrayContaining(["gen_ai.guardrail.pii", "gen_ai.guardrail.injection"]));
    expect((server?.endNs ?? 0n) >= (attempt?.endNs ?? 1n)).toBe(true);
    // The evaluator's judge calls go to the simulator too (untraced): find the gateway's.
    const upstream = stack.sim.requests().find((r) => r.headers.traceparent?.includes(CALLER_TRACE));
    expect(upstream?.headers.traceparent).toBe(`00-${CALLER_TRACE}-${attempt?.spanId}-01`);
    expect(upstream?.headers.tracestate).toBe("vendor=x");
    expect(receiver.headers.at(-1)?.["x-collector-token"]).toBe("t0k en");
  });

  it("traces a streamed answer to its last byte, and a rejected key with its error type", async () => {
    const res = await stack.fetch("/v1/chat/completions", {
      method: "POST",
      headers: bearer(key, { traceparent: `00-${"a".repeat(32)}-${CALLER_SPAN}-01`, "cache-control": "no-cache, no-store" }),
      body: JSON.stringify({ model: "frontier-sim", stream: true, messages: [{ role: "user", content: "Stream this one" }] }),
    });
    await res.text();
    const spans = await trace("a".repeat(32), 5);
    const server = byName(spans, "POST /v1/chat/completions");
    expect(server?.attributes).toMatchObject({ "gateway.stream": true, "gen_ai.response.model": "frontier-sim" });
    expect(server?.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
    const denied = await stack.fetch("/v1/models", { headers: { authorization: "Bearer sk-nope", traceparent: `00-${"b".repeat(32)}-${CALLER_SPAN}-01` } });
    expect(denied.status).toBe(401);
    const [span] = await trace("b".repeat(32), 1);
    expect(span).toMatchObject({ name: "GET /v1/models", status: 0 });
    expect(span?.attributes).toMatchObject({ "http.response.status_code": 401, "error.type": "invalid_api_key" });
  });

  it("exports nothing for a caller's unsampled trace, but still propagates it", async () => {
    stack.sim.reset();
    const unsampled = "c".repeat(32);
    const res = await stack.fetch("/v1/chat/completions", {
      method: "POST",
      headers: bearer(key, { traceparent: `00-${unsampled}-${CALLER_SPAN}-00`, "cache-control": "no-cache, no-store" }),
      body: JSON.stringify({ model: "small-sim", messages: [{ role: "user", content: "Do not sample me" }] }),
    });
    await res.text();
    const upstream = stack.sim.requests().find((r) => r.headers.traceparent?.includes(unsampled));
    expect(upstream?.headers.traceparent).toMatch(new RegExp(`^00-${unsampled}-[0-9a-f]{16}-00$`));
    await new Promise((r) => setTimeout(r, 600));
    expect(receiver.spans.some((s) => s.traceId === unsampled)).toBe(false);
  });

  it("puts the redacted exchange on the span only for a tenant that opted in", async () => {
    const opted = await seedKey(stack, { role: "service", name: "opted-in" });
    await stack.db
      .prepare("INSERT INTO tenant_settings (tenant_id, feature, settings_json, updated_at) VALUES (?1, '', ?2, ?3)")
      .bind(opted.tenantId, JSON.stringify({ telemetry: { captureContent: true } }), Date.now())
      .run();
    const traceId = "d".repeat(32);
    const res = await stack.fetch("/v1/chat/completions", {
      method: "POST",
      headers: bearer(opted.key, { traceparent: `00-${traceId}-${CALLER_SPAN}-01`, "cache-control": "no-cache, no-store" }),
      body: JSON.stringify({ model: "small-sim", messages: [{ role: "user", content: "Email jane.roe@example.org about the invoice" }] }),
    });
    expect(res.status).toBe(200);
    await res.text();
    const spans = await trace(traceId, 5);
    const server = byName(spans, "POST /v1/chat/completions");
    const input = String(server?.attributes["gen_ai.input.messages"]);
    expect(JSON.parse(input)).toEqual([{ role: "user", parts: [{ type: "text", content: expect.stringContaining("about the invoice") }] }]);
    expect(input).not.toContain("jane.roe@example.org");
    expect(JSON.parse(String(server?.attributes["gen_ai.output.messages"]))[0]).toMatchObject({ role: "assistant" });
    expect(JSON.stringify(spans, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toContain("jane.roe@example.org");
    // A later request finds its settings already read (the chat trace then finishes without waiting): content still goes in.
    const again = "9".repeat(32);
    const second = await stack.fetch("/v1/chat/completions", {
      method: "POST",
      headers: bearer(opted.key, { traceparent: `00-${again}-${CALLER_SPAN}-01`, "cache-control": "no-cache, no-store" }),
      body: JSON.stringify({ model: "small-sim", messages: [{ role: "user", content: "Call Jane Roe at +1 415 555 0100 about the refund" }] }),
    });
    await second.text();
    const later = String(byName(await trace(again, 5), "POST /v1/chat/completions")?.attributes["gen_ai.input.messages"]);
    expect(later).toContain("about the refund");
    expect(later).not.toContain("555 0100");
  });

  it("joins the evaluator's verdict to the request's trace as gen_ai.evaluation.result events", async () => {
    const traceId = "e".repeat(32);
    const res = await stack.fetch("/v1/chat/completions", {
      method: "POST",
      headers: bearer(key, { traceparent: `00-${traceId}-${CALLER_SPAN}-01`, "cache-control": "no-cache, no-store" }),
      body: JSON.stringify({ model: "small-sim", messages: [{ role: "user", content: "Judge this answer please" }] }),
    });
    await res.text();
    const spans = await receiver.waitFor((all) => all.some((s) => s.traceId === traceId && s.name === "evaluation"), 30_000);
    const server = spans.find((s) => s.traceId === traceId && s.name === "POST /v1/chat/completions");
    const evaluation = spans.find((s) => s.traceId === traceId && s.name === "evaluation");
    expect(evaluation).toMatchObject({ parentSpanId: server?.spanId, service: "llm-gateway-evaluator" });
    expect(evaluation?.attributes).toMatchObject({ "gen_ai.operation.name": "evaluation", "gateway.request.id": res.headers.get("x-request-id") });
    const results = evaluation?.events.filter((e) => e.name === "gen_ai.evaluation.result") ?? [];
    expect(results.map((e) => e.attributes["gen_ai.evaluation.name"])).toContain("panel");
    const panel = results.find((e) => e.attributes["gen_ai.evaluation.name"] === "panel");
    const row = await stack.db.prepare("SELECT score_mean FROM evaluations WHERE request_id = ?1").bind(res.headers.get("x-request-id")).first<{ score_mean: number | null }>();
    expect(panel?.attributes["gen_ai.evaluation.score.value"]).toBe(row?.score_mean ?? undefined);
  });
});
