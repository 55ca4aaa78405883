/**
 * `npm run otel:receiver`: a local OTLP/HTTP receiver (protobuf or JSON) that prints each trace the gateway
 * (and evaluator) export, so `npm start` can be checked without a collector. Point the Workers
 * at it with OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 in .dev.vars (both Workers read
 * the same variable). For Tempo, Honeycomb, Langfuse or a Collector see docs/observability.md.
 */
import { parseCli } from "./lib/cli";
import { startOtlpReceiver, type ReceivedSpan } from "../shared/otel/otlp-receiver";

const { values } = parseCli({
  name: "npm run otel:receiver --",
  summary: "Local OTLP/HTTP receiver (protobuf or JSON): prints one line per span, grouped by trace (Ctrl-C to stop).",
  options: {
    port: { type: "string", default: "4318", value: "PORT", description: "port to listen on (OTLP/HTTP's default)" },
    json: { type: "boolean", description: "print every span as JSON instead of a summary" },
  },
});

const ms = (s: ReceivedSpan): string => `${(Number(s.endNs - s.startNs) / 1e6).toFixed(1)} ms`;
const KEYS = ["http.response.status_code", "gen_ai.request.model", "gen_ai.response.model", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gateway.route.tier", "gateway.route.reason", "gateway.cache.status", "error.type", "gen_ai.evaluation.score.value"];

function line(s: ReceivedSpan): string {
  const attrs = KEYS.filter((k) => s.attributes[k] !== undefined).map((k) => `${k.replace(/^(gen_ai|gateway)\./, "")}=${JSON.stringify(s.attributes[k])}`);
  const events = s.events.map((e) => e.name + (e.attributes["gen_ai.evaluation.name"] ? `(${String(e.attributes["gen_ai.evaluation.name"])}=${String(e.attributes["gen_ai.evaluation.score.value"])})` : ""));
  return `${s.traceId.slice(0, 8)} ${s.parentSpanId ? "  " : ""}${s.name} [${s.service ?? "?"}] ${ms(s)} ${attrs.join(" ")}${events.length ? ` events: ${events.join(", ")}` : ""}`;
}

const receiver = await startOtlpReceiver({
  port: Number(values.port),
  onSpans: (spans) => {
    // Server spans first, then their children, in start order.
    const ordered = [...spans].sort((a, b) => Number(a.parentSpanId !== null) - Number(b.parentSpanId !== null) || Number(a.startNs - b.startNs));
    for (const s of ordered) console.log(values.json ? JSON.stringify(s, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)) : line(s));
  },
});
console.log(`OTLP receiver on ${receiver.url}/v1/traces (set OTEL_EXPORTER_OTLP_ENDPOINT=${receiver.url})`);
