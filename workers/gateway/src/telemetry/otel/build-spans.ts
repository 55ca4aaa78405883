/**
 * Spans every request gets, from what the request path recorded anyway: the HTTP server span
 * (HTTP semconv: `{method} {http.route}`), one child per Server-Timing stage, and one
 * CLIENT span per upstream call, named `{gen_ai.operation.name} {gen_ai.request.model}` as the
 * GenAI conventions name inference spans, under the stage that made it. Runs inside the
 * exporter's flush, after the response.
 *
 * workerd's clocks advance only across I/O, so a pure-CPU stage honestly reads 0 ms.
 */
import { SpanKind, type SpanData } from "../../../../../shared/otel/span";
import type { AttemptSpan, BuiltSpans, RequestTrace, SpanContributor } from "./request-trace";
import { newSpanId } from "../../../../../shared/otel/trace-context";

export function buildSpans(trace: RequestTrace, contributor: SpanContributor | null): SpanData[] {
  const { traceId, parentSpanId, tracestate } = trace.context;
  const http = trace.http;
  const server: SpanData = {
    traceId,
    spanId: trace.serverSpanId,
    parentSpanId,
    traceState: tracestate,
    name: http ? `${http.method} ${http.route ?? ""}`.trim() : "request",
    kind: SpanKind.SERVER,
    startMs: trace.startMs,
    endMs: trace.endMs,
    attributes: http
      ? {
          "http.request.method": http.method,
          "url.path": http.path,
          "http.route": http.route,
          "http.response.status_code": http.status,
          "server.address": http.host,
          "error.type": http.errorCode ?? (http.status >= 500 ? String(http.status) : null),
        }
      : {},
    // HTTP semconv: a server span is an error only for 5xx; a 4xx is the caller's.
    error: http && http.status >= 500 ? { message: http.errorCode ?? String(http.status) } : null,
  };
  const stages = new Map<string, SpanData>();
  const stageSpans: SpanData[] = [];
  for (const s of trace.timing.timeline()) {
    const span: SpanData = {
      traceId,
      spanId: newSpanId(),
      parentSpanId: trace.serverSpanId,
      name: s.name,
      kind: SpanKind.INTERNAL,
      startMs: trace.startMs + s.startMs,
      endMs: trace.startMs + s.startMs + s.durationMs,
      // The name says the stage: no attribute repeats it (every byte is encoded per request).
      attributes: {},
    };
    stages.set(s.name, span);
    stageSpans.push(span);
  }
  const attempts = trace.attempts.map((facts) => ({ facts, span: attemptSpan(traceId, facts, facts.stage ? stages.get(facts.stage)?.spanId : undefined, trace.serverSpanId) }));
  const built: BuiltSpans = { server, stages, attempts };
  contributor?.(built);
  return [server, ...stageSpans, ...attempts.map((a) => a.span)];
}

function errorType(r: AttemptSpan["record"]): string | null {
  if (!r || r.outcome === "ok") return null;
  if (r.outcome === "timeout") return "timeout";
  return r.status !== undefined ? String(r.status) : r.outcome;
}

function attemptSpan(traceId: string, a: AttemptSpan, stageSpanId: string | undefined, serverSpanId: string): SpanData {
  const r = a.record;
  const type = errorType(r);
  return {
    traceId,
    spanId: a.spanId,
    parentSpanId: stageSpanId ?? serverSpanId,
    name: `chat ${a.upstreamModel}`,
    kind: SpanKind.CLIENT,
    startMs: a.startMs,
    endMs: a.endMs ?? a.startMs,
    attributes: {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": a.provider,
      "gen_ai.request.model": a.upstreamModel,
      "server.address": a.serverAddress,
      "server.port": a.serverPort,
      "error.type": type,
      "http.response.status_code": r?.status,
      "gateway.model": a.model,
      "gateway.tier": a.tier,
      "gateway.attempt": r?.attempt,
      "gateway.attempt.outcome": r?.outcome ?? "unfinished",
      "gateway.attempt.reason": r?.reason,
    },
    error: type ? { message: r?.reason ?? type } : null,
  };
}
