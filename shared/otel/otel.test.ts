import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { otelConfig, parseHeaders } from "./config";
import { OtlpExporter } from "./exporter";
import { startOtlpReceiver, type OtlpReceiver } from "./otlp-receiver";
import { SpanKind, type SpanData } from "./span";
import { spanDataSource } from "./span-sink";
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent, sampledByRatio, startContext } from "./trace-context";

describe("W3C traceparent", () => {
  it("round-trips every valid context and keeps the sampled flag", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{32}$/), fc.stringMatching(/^[0-9a-f]{16}$/), fc.boolean(), (traceId, spanId, sampled) => {
        fc.pre(!/^0+$/.test(traceId) && !/^0+$/.test(spanId));
        const parsed = parseTraceparent(formatTraceparent(traceId, spanId, sampled));
        expect(parsed).toMatchObject({ traceId, parentSpanId: spanId });
        expect((parsed?.flags ?? 0) & 1).toBe(sampled ? 1 : 0);
      }),
    );
  });

  it("rejects malformed headers (then a new trace starts) and never throws", () => {
    for (const bad of ["", "00-xyz", `00-${"0".repeat(32)}-${"1".repeat(16)}-01`, `00-${"a".repeat(32)}-${"0".repeat(16)}-01`, `ff-${"a".repeat(32)}-${"b".repeat(16)}-01`, `00-${"a".repeat(32)}-${"b".repeat(16)}-01-extra`]) {
      expect(parseTraceparent(bad)).toBeNull();
    }
    fc.assert(fc.property(fc.string(), (s) => void parseTraceparent(s)));
    const fresh = startContext("garbage", "vendor=1", 1);
    expect(fresh.parentSpanId).toBeNull();
    expect(fresh.tracestate).toBeNull();
    expect(fresh.sampled).toBe(true);
  });

  it("accepts a future version's extra fields, follows the caller's sampling decision", () => {
    const tid = newTraceId();
    const sid = newSpanId();
    expect(parseTraceparent(`01-${tid}-${sid}-01-more`)).toMatchObject({ traceId: tid });
    expect(startContext(`00-${tid}-${sid}-00`, null, 1).sampled).toBe(false);
    expect(startContext(`00-${tid}-${sid}-01`, "a=b", 0).sampled).toBe(true);
  });

  it("mints lower-case hex ids of the right length, all distinct, every digit used in every position", () => {
    const traces = Array.from({ length: 3000 }, newTraceId);
    const spans = Array.from({ length: 3000 }, newSpanId);
    expect(traces.every((id) => /^[0-9a-f]{32}$/.test(id))).toBe(true);
    expect(spans.every((id) => /^[0-9a-f]{16}$/.test(id))).toBe(true);
    expect(new Set([...traces, ...spans]).size).toBe(6000);
    for (const ids of [traces, spans]) for (let pos = 0; pos < (ids[0] ?? "").length; pos++) expect(new Set(ids.map((id) => id[pos])).size).toBe(16);
  });

  it("samples new traces by trace-id ratio", () => {
    const ids = Array.from({ length: 2000 }, newTraceId);
    const share = ids.filter((id) => sampledByRatio(id, 0.25)).length / ids.length;
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.32);
    expect(ids.every((id) => !sampledByRatio(id, 0))).toBe(true);
  });
});

describe("exporter config", () => {
  it("is off without an endpoint, appends /v1/traces to a base endpoint, prefers the traces endpoint", () => {
    expect(otelConfig({}, "svc")).toBeNull();
    expect(otelConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "" }, "svc")).toBeNull();
    expect(otelConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" }, "svc")?.url).toBe("http://collector:4318/v1/traces");
    expect(otelConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://a", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://b/otlp" }, "svc")?.url).toBe("https://b/otlp");
    expect(otelConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "ftp://x" }, "svc")).toBeNull();
    expect(otelConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://a", OTEL_TRACES_SAMPLER_ARG: "7" }, "svc")?.ratio).toBe(1);
  });

  it("sends protobuf unless http/json is asked for (the traces variable wins; grpc falls back to protobuf)", () => {
    const proto = (vars: Record<string, string>) => otelConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://a", ...vars }, "svc")?.protocol;
    expect(proto({})).toBe("http/protobuf");
    expect(proto({ OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" })).toBe("http/json");
    expect(proto({ OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/protobuf" })).toBe("http/protobuf");
    expect(proto({ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toBe("http/protobuf");
  });

  it("parses OTEL_EXPORTER_OTLP_HEADERS (percent-decoded values, bad pairs skipped)", () => {
    expect(parseHeaders("x-honeycomb-team=abc%3D%3D, Authorization=Basic%20dXNlcg==,bad,=x")).toEqual({ "x-honeycomb-team": "abc==", authorization: "Basic dXNlcg==" });
  });
});

describe.each([
  ["http/protobuf", "application/x-protobuf"],
  ["http/json", "application/json"],
])("OTLP/HTTP export (%s) to a loopback receiver", (protocol, contentType) => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(() => receiver.close());

  const span = (traceId: string, name: string, extra: Partial<SpanData> = {}): SpanData => ({
    traceId,
    spanId: newSpanId(),
    name,
    kind: SpanKind.SERVER,
    startMs: 1_700_000_000_123.25,
    endMs: 1_700_000_000_223.5,
    attributes: { "gen_ai.request.model": "auto", "gen_ai.usage.input_tokens": 12, "gateway.cache.similarity": 0.93, "gen_ai.response.finish_reasons": ["stop"], dropped: undefined },
    ...extra,
  });

  it("batches builders from many requests into one POST with the configured headers, off the caller's path", async () => {
    const config = otelConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=s3cret", OTEL_SERVICE_NAME: "gw-test", OTEL_EXPORTER_OTLP_PROTOCOL: protocol }, "svc");
    if (!config) throw new Error("config");
    const exporter = new OtlpExporter(config, fetch, {}, { maxSpans: 100, maxPending: 100, lingerMs: 20 });
    const traceId = newTraceId();
    let built = 0;
    const first = exporter.add(spanDataSource(() => (built++, [span(traceId, "POST /v1/chat/completions", { events: [{ name: "gen_ai.guardrail.pii", timeMs: 1_700_000_000_150, attributes: { "gen_ai.guardrail.triggered": true } }] })])));
    const second = exporter.add(spanDataSource(() => (built++, [span(traceId, "GET /healthz", { error: { message: "boom" } })])));
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    expect(built).toBe(0); // nothing is built while the requests run
    await first;
    const got = receiver.spans.filter((s) => s.traceId === traceId);
    expect(got.map((s) => s.name).sort()).toEqual(["GET /healthz", "POST /v1/chat/completions"]);
    expect(receiver.headers.at(-1)?.["x-api-key"]).toBe("s3cret");
    expect(receiver.headers.at(-1)?.["content-type"]).toBe(contentType);
    const chat = got.find((s) => s.name.startsWith("POST"));
    expect(chat).toMatchObject({ service: "gw-test", kind: 2, status: 0 });
    expect(chat?.attributes).toEqual({ "gen_ai.request.model": "auto", "gen_ai.usage.input_tokens": 12, "gateway.cache.similarity": 0.93, "gen_ai.response.finish_reasons": ["stop"] });
    expect(chat?.startNs).toBe(1_700_000_000_123_250_000n);
    expect(chat?.events[0]).toEqual({ name: "gen_ai.guardrail.pii", attributes: { "gen_ai.guardrail.triggered": true } });
    expect(got.find((s) => s.name === "GET /healthz")?.status).toBe(2);
  });

  it("builds soon after the response, not at the flush; splits a batch into POSTs of whole requests, each a valid export", async () => {
    const config = otelConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: protocol }, "svc");
    if (!config) throw new Error("config");
    const exporter = new OtlpExporter(config, fetch, { "deployment.environment.name": "test" }, { maxSpans: 3, maxPending: 100, lingerMs: 50 });
    const traceId = newTraceId();
    let built = 0;
    const posts = receiver.headers.length;
    let sending: Promise<void> | null = null;
    for (let i = 0; i < 20; i++) {
      const p = exporter.add(spanDataSource(() => (built++, [span(traceId, `r${i} server`), span(traceId, `r${i} stage`, { kind: SpanKind.INTERNAL })])));
      sending ??= p;
    }
    expect(built).toBe(16); // 16 waiting builders are built at once: a batch does not hold its requests alive
    await new Promise((r) => setTimeout(r, 5));
    expect(built).toBe(20); // the rest by the timer task
    await sending;
    const got = receiver.spans.filter((s) => s.traceId === traceId);
    expect(got).toHaveLength(40);
    expect(receiver.headers.length - posts).toBe(10); // 2 requests (4 spans ≥ 3) per POST, never half a request
    expect(new Set(got.map((s) => s.service))).toEqual(new Set(["svc"]));
  });

  it("loses only the trace when the collector is down or a builder throws", async () => {
    const config = otelConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://127.0.0.1:9/v1/traces", OTEL_EXPORTER_OTLP_PROTOCOL: protocol }, "svc");
    if (!config) throw new Error("config");
    const exporter = new OtlpExporter(config, fetch, {}, { maxSpans: 10, maxPending: 2, lingerMs: 5 });
    void exporter.add(
      spanDataSource(() => {
        throw new Error("bug");
      }),
    );
    await expect(exporter.add(spanDataSource(() => [span(newTraceId(), "x")]))).resolves.toBeUndefined();
  });
});
