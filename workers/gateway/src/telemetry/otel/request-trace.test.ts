import { describe, expect, it } from "vitest";
import type { OtlpExporter } from "../../../../../shared/otel/exporter";
import { protoExportToJson } from "../../../../../shared/otel/otlp-proto-decode";
import { otlpEncoding } from "../../../../../shared/otel/otlp-encoding";
import { decodeExport, type ReceivedSpan } from "../../../../../shared/otel/otlp-receiver";
import { ProtoWriter } from "../../../../../shared/otel/proto-writer";
import type { SpanSource } from "../../../../../shared/otel/span-sink";
import { startContext } from "../../../../../shared/otel/trace-context";
import type { Attempt } from "../../router/attempts/build-attempts";
import { ServerTiming } from "../server-timing";
import type { ExchangeResult } from "../../chat/build-event";
import type { ChatExchange } from "../../chat/exchange";
import { writeSpans } from "./build-spans";
import { ChatSpans } from "./chat-spans";
import { RequestTrace } from "./request-trace";

/** Each released trace's export body as the exporter would POST it (protobuf), decoded. */
function recorder() {
  const built: ReceivedSpan[][] = [];
  const bodies: Uint8Array[] = [];
  const encoding = otlpEncoding("http/protobuf", { serviceName: "test" });
  const exporter = {
    add: (source: SpanSource) => {
      const w = new ProtoWriter();
      encoding.append(w, source);
      bodies.push(encoding.body(w.take()));
      built.push(decodeExport(bodies.at(-1) as Uint8Array));
      return Promise.resolve();
    },
  } as unknown as OtlpExporter;
  return { built, bodies, exporter };
}

/** The status message of the span `spanId` in a protobuf export body. */
function statusMessage(body: Uint8Array | undefined, spanId: string | undefined): unknown {
  const spans = ((protoExportToJson(body ?? new Uint8Array()).resourceSpans as Array<{ scopeSpans: Array<{ spans: Array<{ spanId: string; status: { message?: string } }> }> }>) ?? []).flatMap((r) => r.scopeSpans.flatMap((ss) => ss.spans));
  return spans.find((x) => x.spanId === spanId)?.status.message;
}

const attempt = { model: { id: "small-sim", upstreamModel: "org/small-7b", upstream: { kind: "openai-compatible" } }, tier: "small" } as unknown as Attempt;

/** Headers of every global fetch `run` makes (answered in memory). */
async function sentHeaders(run: () => Promise<void>): Promise<Headers[]> {
  const sent: Headers[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (_i: RequestInfo | URL, init?: RequestInit) => (sent.push(new Headers(init?.headers)), new Response("{}"))) as typeof fetch;
  try {
    await run();
  } finally {
    globalThis.fetch = realFetch;
  }
  return sent;
}

describe("RequestTrace", () => {
  it("exports once, when the last holder lets go (a stream outlives its handler)", () => {
    const { built, exporter } = recorder();
    const trace = new RequestTrace(startContext(null, null, 1), new ServerTiming(), Date.now(), exporter, writeSpans);
    trace.hold(); // the chat handler, until its usage event
    trace.release(() => undefined); // the middleware, when the handler returned
    expect(built).toHaveLength(0);
    trace.release(() => undefined); // the stream's end
    expect(built).toHaveLength(1);
  });

  it("nests each upstream call under the stage it ran in and propagates its span id", async () => {
    const { built, bodies, exporter } = recorder();
    const timing = new ServerTiming();
    const trace = new RequestTrace(startContext(`00-${"1".repeat(32)}-${"2".repeat(16)}-01`, "k=v", 1), timing, Date.now(), exporter, writeSpans);
    const sent = await sentHeaders(() =>
      timing.measure("upstream", async () => {
        const done = trace.onAttempt(attempt);
        await trace.fetch("https://vllm.internal:8443/v1/chat/completions", { method: "POST", headers: { "x-a": "1" } });
        done({ model: "small-sim", tier: "small", upstream: "openai-compatible", attempt: 1, outcome: "error", status: 503, reason: "busy", durationMs: 3 });
      }),
    );
    trace.release(() => undefined);
    const spans = built[0] ?? [];
    const server = spans.find((s) => s.kind === 2);
    const stage = spans.find((s) => s.name === "upstream");
    const call = spans.find((s) => s.name === "chat org/small-7b");
    expect(server?.parentSpanId).toBe("2".repeat(16));
    expect(stage?.parentSpanId).toBe(server?.spanId);
    expect(call?.parentSpanId).toBe(stage?.spanId);
    expect(call?.attributes).toMatchObject({ "server.address": "vllm.internal", "server.port": 8443, "error.type": "503", "gen_ai.provider.name": "openai-compatible" });
    expect(call?.status).toBe(2);
    expect(statusMessage(bodies[0], call?.spanId)).toBe("busy");
    expect(sent[0]?.get("traceparent")).toBe(`00-${"1".repeat(32)}-${call?.spanId}-01`);
    expect(sent[0]?.get("tracestate")).toBe("k=v");
    expect(sent[0]?.get("x-a")).toBe("1");
  });

  it("replaces a traceparent the call already had in any case, keeps a Headers object's others", async () => {
    const { built, exporter } = recorder();
    const timing = new ServerTiming();
    const trace = new RequestTrace(startContext(null, null, 1), timing, Date.now(), exporter, writeSpans);
    const stale = `00-${"3".repeat(32)}-${"4".repeat(16)}-01`;
    const sent = await sentHeaders(() =>
      timing.measure("upstream", async () => {
        const done = trace.onAttempt(attempt);
        await trace.fetch("HTTP://User:pw@Sim.Local/v1/chat/completions", { headers: { TraceParent: stale, TraceState: "kept=1", "x-a": "1" } });
        await trace.fetch(new URL("https://[::1]/v1"), { headers: new Headers({ traceparent: stale, "x-b": "2" }) });
        done({ model: "small-sim", tier: "small", upstream: "openai-compatible", attempt: 1, outcome: "ok", durationMs: 3 });
      }),
    );
    trace.release(() => undefined);
    const call = (built[0] ?? []).find((s) => s.kind === 3);
    const ours = `00-${trace.traceparent.split("-")[1]}-${call?.spanId}-01`;
    expect(sent.map((h) => h.get("traceparent"))).toEqual([ours, ours]);
    expect(sent[0]?.get("tracestate")).toBe("kept=1"); // the trace has none of its own to set
    expect([sent[0]?.get("x-a"), sent[1]?.get("x-b")]).toEqual(["1", "2"]);
    expect(call?.attributes).toMatchObject({ "server.address": "[::1]", "server.port": 443 });
  });

  it("writes a chat trace straight to protobuf with the same content as its JSON encoding: events, the answered call, error.type in place", () => {
    const timing = new ServerTiming();
    for (const stage of ["auth", "guardrails", "upstream"]) timing.add(stage, 2);
    const sources: SpanSource[] = [];
    const trace = new RequestTrace(startContext(null, null, 1), timing, Date.now() - 10, { add: (s: SpanSource) => (sources.push(s), null) } as unknown as OtlpExporter, writeSpans);
    trace.hold();
    for (const outcome of ["error", "ok"] as const) {
      timing.current = "upstream";
      trace.onAttempt(attempt)({ model: "small-sim", tier: "small", upstream: "openai-compatible", attempt: 1, outcome, ...(outcome === "error" ? { status: 503 } : {}), durationMs: 3 });
    }
    timing.current = null;
    trace.http = { method: "POST", path: "/v1/chat/completions", host: "gw", route: "/v1/chat/completions", status: 200, errorCode: null };
    trace.release(() => undefined);
    const ex = {
      requestId: "r1",
      auth: { tenantId: "t1" },
      feature: "f",
      cache: "miss",
      cacheSimilarity: null,
      attempts: [{ model: "small-sim", outcome: "error" }, { model: "small-sim", outcome: "ok" }],
      answeredBy: attempt.model,
      stream: true,
      original: { model: "auto", max_tokens: 16 },
      request: { messages: [{ role: "user", content: "hi <PERSON_1>" }] },
      redacted: true,
      decisions: { finishReason: "stop", guardrails: { flagged: false, controls: [{ name: "pii", action: "redact", status: "ran", entities: [{ type: "PERSON", count: 1 }] }] }, streamResumes: [{ model: "small-sim", outcome: "ok", cause: "stall" }] },
    } as unknown as ChatExchange;
    trace.contribute(new ChatSpans(ex, { status: 200, errorCode: "upstream_partial", usage: { input: { total: 5, cached: 0 }, output: { total: 2 } }, costUsd: 0.001, completedAt: Date.now() + 50, ttftMs: 4, answer: "hello" } as unknown as ExchangeResult, true));
    trace.release(() => undefined);
    const [source] = sources;
    if (!source) throw new Error("no trace handed over");
    const bodies = (["http/protobuf", "http/json"] as const).map((protocol) => {
      const encoding = otlpEncoding(protocol, { serviceName: "test" });
      const w = new ProtoWriter();
      encoding.append(w, source);
      return encoding.body(w.take());
    });
    // The stage span ids are drawn when the spans are written: compare all but those.
    const [proto, json] = [decodeExport(bodies[0] as Uint8Array), decodeExport(new TextDecoder().decode(bodies[1]))].map((spans) =>
      spans.map((x) => ({ ...x, spanId: x.kind === 1 ? "stage" : x.spanId, parentSpanId: x.kind === 3 ? "stage" : x.parentSpanId })),
    );
    expect(proto).toEqual(json);
    const server = proto?.find((x) => x.kind === 2);
    const calls = proto?.filter((x) => x.kind === 3) ?? [];
    expect(Object.keys(server?.attributes ?? {}).indexOf("error.type")).toBe(5); // the route's error, in the HTTP attribute's place
    expect(server?.attributes).toMatchObject({ "error.type": "upstream_partial", "gen_ai.response.model": "small-sim", "gateway.stream.resumes": 1, "gen_ai.input.messages": expect.stringContaining("<PERSON_1>") });
    expect(server?.events.map((e) => e.name)).toEqual(["gateway.stream.resume"]);
    expect(proto?.find((x) => x.name === "guardrails")?.events).toEqual([{ name: "gen_ai.guardrail.pii", attributes: { "gen_ai.guardrail.name": "pii", "gen_ai.guardrail.action": "redact", "gen_ai.guardrail.status": "ran", "gen_ai.guardrail.triggered": true, "gen_ai.guardrail.entities": ["PERSON=1"] } }]);
    expect(calls.map((c) => c.attributes["gen_ai.response.model"])).toEqual([undefined, "org/small-7b"]); // only the call that answered
    expect(calls.map((c) => c.status)).toEqual([2, 0]);
  });

  it("builds nothing for an unsampled trace", () => {
    const { built, exporter } = recorder();
    const trace = new RequestTrace(startContext(`00-${"1".repeat(32)}-${"2".repeat(16)}-00`, null, 1), new ServerTiming(), Date.now(), exporter, writeSpans);
    trace.release(() => undefined);
    expect(built).toHaveLength(0);
  });
});
