/**
 * bench:hotpath's Worker: the gateway exactly as deployed, plus a driver path,
 * `POST /__hotpath?target=gateway|proxy|bare&n=N`, that sends N chat requests at concurrency
 * 32 to this same Worker through a service binding to itself (SELF). Each of those is a
 * request of its own, as in production (its own request context, waitUntil, timers), but it
 * arrives without sockets, Miniflare's entry Worker or a load generator; the upstream `fetch`
 * is answered instantly in memory. The caller reads workerd's CPU around the call.
 * Bench-only: this file is never part of the deployed gateway.
 */
import gateway from "../../workers/gateway/src/index";
import { GATEWAY_SERVICE_NAME } from "../../workers/gateway/src/telemetry/otel/middleware";
import { otelConfig, type OtelVars } from "../../shared/otel/config";
import { exporterFor } from "../../shared/otel/exporter";
import jsonProxy from "../fixtures/json-proxy-worker";
import { CHAT_BODY } from "../lib/chat-body";
export { CircuitBreaker, LocalVectorIndex, MetricsAggregator, RateLimiter } from "../../workers/gateway/src/index";

const UPSTREAM_ANSWER = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "small-sim",
  choices: [{ index: 0, message: { role: "assistant", content: "All systems nominal; nothing to report today." }, finish_reason: "stop" }],
  usage: { prompt_tokens: 14, completion_tokens: 10, total_tokens: 24 },
});
const CONCURRENCY = 32;
const TARGET_PREFIX = "/__as/";

type HotpathEnv = Env & {
  SELF: Fetcher;
  /** Where the `obs-on` variant exports its traces (bench:overhead --observability's receiver). */
  BENCH_OTLP_ENDPOINT?: string;
};

const realFetch = globalThis.fetch;
/** URLs the driven requests' fetches still really reach (the OTLP receiver); the rest is instant. */
let passThrough: string | null = null;
/** The `obs-nopost` arm's OTLP endpoint: its POSTs are answered at once, body unread. */
const NULL_SINK = "http://otlp-null.invalid";

async function instantUpstream(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  if (passThrough && typeof input === "string" && input.startsWith(passThrough)) return realFetch(input, init);
  if (typeof input === "string" && input.startsWith(NULL_SINK)) return new Response(null, { status: 200 });
  await new Request(input, init).arrayBuffer();
  return new Response(UPSTREAM_ANSWER, { status: 200, headers: { "content-type": "application/json" } });
}

async function drive(env: HotpathEnv, target: string, authorization: string, n: number): Promise<{ failed: number; example: string | null }> {
  // Content-Length as a real client sends it (the body reader takes its one-read path then).
  const length = String(new TextEncoder().encode(CHAT_BODY).byteLength);
  // no-cache, no-store as bench:overhead's (c) sends: in full mode every request runs the whole
  // pipeline and reaches the upstream (core mode has the cache off anyway).
  const headers = { authorization, "content-type": "application/json", "content-length": length, "cache-control": "no-cache, no-store" };
  let started = 0;
  let failed = 0;
  let example: string | null = null;
  const lane = async () => {
    while (started < n) {
      started++;
      const res = await env.SELF.fetch(`http://gateway${TARGET_PREFIX}${target}/v1/chat/completions`, { method: "POST", headers, body: CHAT_BODY });
      const text = await res.text();
      if (res.status !== 200) {
        failed++;
        example ??= `${res.status} ${text.slice(0, 300)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return { failed, example };
}

/**
 * Observability variants (HOTPATH_VARIANTS=gateway:nometrics,gateway:otel): the gateway with
 * its live metrics off, or with OpenTelemetry export on. Spans go to the simulator on loopback
 * (a 404 there: the export is made and rejected), so building, encoding and sending them are
 * all in the measured CPU; flushes inside a batch meet the instant in-memory fetch instead.
 * bench:overhead --observability's arms: `obs-on` (traces sampled at 1, really POSTed to
 * BENCH_OTLP_ENDPOINT, and live metrics), `obs-off` and `obs-off2` (both off: identical
 * settings in two env copies, the A/A pair), `obs-traces` and `obs-metrics` (each alone), `obs-unsampled` (tracing on, no trace sampled),
 * `obs-tenth` (as obs-on with OTEL_TRACES_SAMPLER_ARG=0.1: one new trace in ten sampled, a setting users can choose),
 * and arms that are `obs-on` with one piece of the export taken away or changed, each with an exporter
 * of its own (a distinct config: an extra export header): `obs-notimer` (no setTimeout(0) encode
 * task: its requests are encoded 16 at a time as they are handed over, or at the flush; see
 * benchExporter), `obs-eager` (no timer either: each trace encoded as it is handed over, inside
 * add()) and `obs-nopost` (the POSTs go to NULL_SINK, answered in memory).
 */
function variantVars(variant: string, env: HotpathEnv): Record<string, string> {
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: `${env.SIMULATOR_URL}/otlp-sink` };
  const traced = { OTEL_EXPORTER_OTLP_ENDPOINT: env.BENCH_OTLP_ENDPOINT ?? otel.OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER_ARG: "1" };
  if (variant === "obs-on") return traced;
  if (variant === "obs-traces") return { ...traced, METRICS: "off" };
  if (variant === "obs-off" || variant === "obs-off2") return { METRICS: "off" };
  if (variant === "obs-metrics") return {};
  if (variant === "obs-unsampled") return { ...traced, OTEL_TRACES_SAMPLER_ARG: "0", METRICS: "off" };
  if (variant === "obs-tenth") return { ...traced, OTEL_TRACES_SAMPLER_ARG: "0.1" };
  if (variant === "obs-notimer") return { ...traced, OTEL_EXPORTER_OTLP_HEADERS: "x-bench-arm=notimer" };
  if (variant === "obs-eager") return { ...traced, OTEL_EXPORTER_OTLP_HEADERS: "x-bench-arm=eager" };
  if (variant === "obs-nopost") return { ...traced, OTEL_EXPORTER_OTLP_ENDPOINT: NULL_SINK };
  if (variant === "nometrics") return { METRICS: "off" };
  if (variant === "otel") return otel;
  if (variant === "otel+nometrics") return { ...otel, METRICS: "off" };
  return {};
}

/**
 * One driven request, answered by the target it names: `/__as/TARGET[:VARIANT]/...`. The
 * variant rides on each request, so one isolate can serve several variants interleaved; without
 * one, the variant of the `/__hotpath` call that drives it.
 */
function serveAs(req: Request, env: HotpathEnv, ctx: ExecutionContext): Promise<Response> {
  const url = new URL(req.url);
  const [spec = "", ...rest] = url.pathname.slice(TARGET_PREFIX.length).split("/");
  const [target, own] = spec.split(":");
  const inner = new Request(`http://gateway/${rest.join("/")}`, req);
  if (target === "proxy") return Promise.resolve(jsonProxy.fetch(inner, { UPSTREAM: "http://upstream" }, ctx));
  if (target === "bare") return fetch("http://upstream/v1/chat/completions", inner);
  const variant = own ?? (globalThis as unknown as { __variant?: string }).__variant ?? "";
  return Promise.resolve(gateway.fetch(inner, envFor(env, variant), ctx));
}

// Every gateway target gets a copy of env, so the variants differ only in their vars; one copy
// per variant, not per request: workerd hands an isolate's requests the same env object, and the
// gateway keys per-isolate state on it (registry-loader.ts, cache-stage.ts), which a fresh copy
// per request would rebuild every time.
const variantEnvs = new WeakMap<HotpathEnv, Map<string, HotpathEnv>>();
function envFor(env: HotpathEnv, variant: string): HotpathEnv {
  let perEnv = variantEnvs.get(env);
  if (!perEnv) variantEnvs.set(env, (perEnv = new Map()));
  let copy = perEnv.get(variant);
  if (!copy) {
    perEnv.set(variant, (copy = { ...env, ...variantVars(variant, env) }));
    if (variant === "obs-notimer" || variant === "obs-eager") benchExporter(copy, variant === "obs-eager");
  }
  return copy;
}

/**
 * Creates the arm's exporter before its first request does (the same instance the middleware
 * then gets: exporters are per isolate and config) and takes away its encode timer: the field
 * reads as armed, so add() never calls setTimeout(0) and the batch is encoded 16 requests at a
 * time in add(), and the rest at the flush. With `eager` (obs-eager), add() also encodes every
 * waiting trace before it returns, so none is held. The bytes POSTed are the same.
 */
function benchExporter(env: HotpathEnv, eager: boolean): void {
  const config = otelConfig(env as unknown as OtelVars, GATEWAY_SERVICE_NAME);
  if (!config) throw new Error("obs-notimer: no OTLP config");
  const exporter = exporterFor(config, { "deployment.environment.name": env.ENVIRONMENT });
  Object.defineProperty(exporter, "encodeTimer", { get: () => true, set: () => undefined });
  if (!eager) return;
  // obs-eager: each handed-over trace is encoded at once, inside add() (nothing held, no timer).
  const add = exporter.add.bind(exporter);
  const encodePending = (exporter as unknown as { encodePending(): void }).encodePending.bind(exporter);
  exporter.add = (source) => {
    const sending = add(source);
    encodePending();
    return sending;
  };
}

export default {
  async fetch(req: Request, env: HotpathEnv, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname.startsWith(TARGET_PREFIX)) return serveAs(req, env, ctx);
    if (url.pathname !== "/__hotpath") return gateway.fetch(req, env, ctx);
    const n = Number(url.searchParams.get("n") ?? 1000);
    // The driven requests run in this isolate, so they see this global for as long as it is set.
    globalThis.fetch = instantUpstream;
    passThrough = env.BENCH_OTLP_ENDPOINT ?? null;
    (globalThis as unknown as { __variant?: string }).__variant = url.searchParams.get("variant") ?? "";
    try {
      return Response.json({ requests: n, ...(await drive(env, url.searchParams.get("target") ?? "gateway", req.headers.get("authorization") ?? "", n)) });
    } finally {
      globalThis.fetch = realFetch;
    }
  },
} satisfies ExportedHandler<HotpathEnv>;
