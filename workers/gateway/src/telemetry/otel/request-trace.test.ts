import { describe, expect, it } from "vitest";
import type { OtlpExporter } from "../../../../../shared/otel/exporter";
import type { SpanData } from "../../../../../shared/otel/span";
import { startContext } from "../../../../../shared/otel/trace-context";
import type { Attempt } from "../../router/attempts/build-attempts";
import { ServerTiming } from "../server-timing";
import { buildSpans } from "./build-spans";
import { RequestTrace } from "./request-trace";

function recorder() {
  const built: SpanData[][] = [];
  const exporter = { add: (b: () => SpanData[]) => (built.push(b()), Promise.resolve()) } as unknown as OtlpExporter;
  return { built, exporter };
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
    const trace = new RequestTrace(startContext(null, null, 1), new ServerTiming(), Date.now(), exporter, buildSpans);
    trace.hold(); // the chat handler, until its usage event
    trace.release(() => undefined); // the middleware, when the handler returned
    expect(built).toHaveLength(0);
    trace.release(() => undefined); // the stream's end
    expect(built).toHaveLength(1);
  });

  it("nests each upstream call under the stage it ran in and propagates its span id", async () => {
    const { built, exporter } = recorder();
    const timing = new ServerTiming();
    const trace = new RequestTrace(startContext(`00-${"1".repeat(32)}-${"2".repeat(16)}-01`, "k=v", 1), timing, Date.now(), exporter, buildSpans);
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
    expect(call?.error).toEqual({ message: "busy" });
    expect(sent[0]?.get("traceparent")).toBe(`00-${"1".repeat(32)}-${call?.spanId}-01`);
    expect(sent[0]?.get("tracestate")).toBe("k=v");
    expect(sent[0]?.get("x-a")).toBe("1");
  });

  it("replaces a traceparent the call already had in any case, keeps a Headers object's others", async () => {
    const { built, exporter } = recorder();
    const timing = new ServerTiming();
    const trace = new RequestTrace(startContext(null, null, 1), timing, Date.now(), exporter, buildSpans);
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

  it("builds nothing for an unsampled trace", () => {
    const { built, exporter } = recorder();
    const trace = new RequestTrace(startContext(`00-${"1".repeat(32)}-${"2".repeat(16)}-00`, null, 1), new ServerTiming(), Date.now(), exporter, buildSpans);
    trace.release(() => undefined);
    expect(built).toHaveLength(0);
  });
});
