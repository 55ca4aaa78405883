/**
 * Spans every request gets, from what the request path recorded anyway: the HTTP server span
 * (HTTP semconv: `{method} {http.route}`), one child per Server-Timing stage, and one
 * CLIENT span per upstream call, named `{gen_ai.operation.name} {gen_ai.request.model}` as the
 * GenAI conventions name inference spans, under the stage that made it. Runs inside the
 * exporter's encoding, after the response, and writes straight to its sink (the protobuf
 * bytes): no span or attribute objects per request.
 *
 * workerd's clocks advance only across I/O, so a pure-CPU stage honestly reads 0 ms.
 */
import { SpanKind } from "../../../../../shared/otel/span";
import type { SpanSink } from "../../../../../shared/otel/span-sink";
import { newSpanId } from "../../../../../shared/otel/trace-context";
import type { AttemptSpan, RequestTrace, SpanContributor } from "./request-trace";

export function writeSpans(trace: RequestTrace, contributor: SpanContributor | null, sink: SpanSink): void {
  const { traceId, parentSpanId, tracestate } = trace.context;
  const http = trace.http;
  // A stream's server span lasts until its last byte.
  const endMs = contributor ? Math.max(trace.endMs, contributor.completedAt) : trace.endMs;
  const stages = trace.timing.timeline();
  const stageIds = stages.map(() => newSpanId());
  const lastStage = (name: string): number => {
    for (let i = stages.length - 1; i >= 0; i--) if (stages[i]?.name === name) return i;
    return -1;
  };
  const guardrails = contributor ? lastStage("guardrails") : -1;

  sink.span(traceId, trace.serverSpanId, parentSpanId, tracestate, http ? `${http.method} ${http.route ?? ""}`.trim() : "request", SpanKind.SERVER, trace.startMs, endMs);
  const routeError = contributor?.errorType ?? null;
  if (http) {
    sink.attr("http.request.method", http.method);
    sink.attr("url.path", http.path);
    sink.attr("http.route", http.route);
    sink.attr("http.response.status_code", http.status);
    sink.attr("server.address", http.host);
    sink.attr("error.type", routeError ?? http.errorCode ?? (http.status >= 500 ? String(http.status) : null));
  }
  contributor?.serverAttributes(sink, !http);
  if (contributor && guardrails < 0) contributor.guardrailEvents(sink, endMs);
  contributor?.serverEvents(sink, endMs);
  // HTTP semconv: a server span is an error only for 5xx; a 4xx is the caller's.
  sink.end(http && http.status >= 500 ? { message: http.errorCode ?? String(http.status) } : null);

  stages.forEach((s, i) => {
    const start = trace.startMs + s.startMs;
    // The name says the stage: no attribute repeats it (every byte is encoded per request).
    sink.span(traceId, stageIds[i] as string, trace.serverSpanId, null, s.name, SpanKind.INTERNAL, start, start + s.durationMs);
    if (i === guardrails) contributor?.guardrailEvents(sink, start + s.durationMs);
    sink.end(null);
  });

  const answered = contributor?.answered(trace.attempts);
  for (const a of trace.attempts) {
    const stage = a.stage ? lastStage(a.stage) : -1;
    writeAttempt(sink, traceId, a, stage >= 0 ? (stageIds[stage] as string) : trace.serverSpanId);
    if (a === answered) contributor?.answeredAttributes(sink, a);
    sink.end(attemptError(a));
  }
}

function errorType(r: AttemptSpan["record"]): string | null {
  if (!r || r.outcome === "ok") return null;
  if (r.outcome === "timeout") return "timeout";
  return r.status !== undefined ? String(r.status) : r.outcome;
}

function attemptError(a: AttemptSpan): { message: string } | null {
  const type = errorType(a.record);
  return type ? { message: a.record?.reason ?? type } : null;
}

/** An upstream call's span and its own attributes, left open for the contributor's. */
function writeAttempt(sink: SpanSink, traceId: string, a: AttemptSpan, parentSpanId: string): void {
  const r = a.record;
  sink.span(traceId, a.spanId, parentSpanId, null, `chat ${a.upstreamModel}`, SpanKind.CLIENT, a.startMs, a.endMs ?? a.startMs);
  sink.attr("gen_ai.operation.name", "chat");
  sink.attr("gen_ai.provider.name", a.provider);
  sink.attr("gen_ai.request.model", a.upstreamModel);
  sink.attr("server.address", a.serverAddress);
  sink.attr("server.port", a.serverPort);
  sink.attr("error.type", errorType(r));
  sink.attr("http.response.status_code", r?.status);
  sink.attr("gateway.model", a.model);
  sink.attr("gateway.tier", a.tier);
  sink.attr("gateway.attempt", r?.attempt);
  sink.attr("gateway.attempt.outcome", r?.outcome ?? "unfinished");
  sink.attr("gateway.attempt.reason", r?.reason);
}
