/**
 * One request's trace while it runs: the W3C context it joined, its server span's id, the
 * upstream attempts as they start and end (run-attempts' `onAttempt` hook), and, for chat, the
 * exchange to describe. Nothing is built until the trace is released by everyone holding it
 * (the middleware, and a chat request until its usage event is published, which for a stream
 * is after the last byte); then the trace goes to the isolate's OTLP exporter, which has it
 * write and encode its spans after the response (telemetry/otel/README in docs/observability.md).
 */
import { formatTraceparent, newSpanId, type TraceContext } from "../../../../../shared/otel/trace-context";
import type { AttemptRecord } from "../../../../../shared/schemas/usage-event";
import type { OtlpExporter } from "../../../../../shared/otel/exporter";
import type { SpanSink, SpanSource } from "../../../../../shared/otel/span-sink";
import type { Attempt } from "../../router/attempts/build-attempts";
import type { ServerTiming } from "../server-timing";

export interface AttemptSpan {
  spanId: string;
  /** The stage it ran in (`upstream`, `cascade_draft`): its parent span. */
  stage: string | null;
  startMs: number;
  endMs: number | null;
  model: string;
  upstreamModel: string;
  provider: string;
  tier: string;
  record: AttemptRecord | null;
  serverAddress: string | null;
  serverPort: number | null;
}

export interface HttpFacts {
  method: string;
  path: string;
  host: string;
  route: string | null;
  status: number;
  errorCode: string | null;
}

/**
 * What a route adds once it knows it (chat: the exchange, its outcome and decisions), asked by
 * build-spans while it writes the spans, in the order the spans are written.
 */
export interface SpanContributor {
  /** When the route's work ended (a stream's last byte): the server span ends no earlier. */
  readonly completedAt: number;
  /** The route's error, in place of the HTTP one in the server span's error.type. */
  readonly errorType: string | null;
  /** The server span's attributes after the HTTP ones (with error.type when there were none). */
  serverAttributes(sink: SpanSink, withErrorType: boolean): void;
  /** Events on the guardrails stage's span, or the server span's when there is no such stage. */
  guardrailEvents(sink: SpanSink, atMs: number): void;
  /** The server span's own events, after any guardrail events. */
  serverEvents(sink: SpanSink, serverEndMs: number): void;
  /** The upstream call whose answer was served, if any. */
  answered(attempts: readonly AttemptSpan[]): AttemptSpan | undefined;
  /** Its attributes after the call's own. */
  answeredAttributes(sink: SpanSink, a: AttemptSpan): void;
}

/** scheme, host (bracketed IPv6 too) and port of an absolute http(s) URL, without a URL object. */
export const SERVER = /^(https?):\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#]+)(?::(\d+))?/i;

/**
 * The call's headers with the trace's set. The adapters pass a plain object (upstreams/http.ts):
 * copied with the trace keys, no Headers object built. A key differing from ours only in case
 * would be appended to ours by fetch, not replaced, so it is left out.
 */
function withTrace(given: HeadersInit | undefined, trace: Record<string, string>): HeadersInit {
  if (given !== undefined && Symbol.iterator in given) {
    // Headers, or [name, value] pairs.
    const h = new Headers(given);
    for (const k in trace) h.set(k, trace[k] as string);
    return h;
  }
  const copy: Record<string, string> = {};
  const record: Record<string, string> = given ?? {};
  for (const k in record) if (!Object.hasOwn(trace, k.toLowerCase())) copy[k] = record[k] as string;
  return Object.assign(copy, trace);
}

export class RequestTrace implements SpanSource {
  readonly serverSpanId = newSpanId();
  readonly attempts: AttemptSpan[] = [];
  http: HttpFacts | null = null;
  /** When the last holder let go: the server span's end unless a contributor knows better. */
  endMs = 0;
  private holds = 1;
  private contributor: SpanContributor | null = null;
  private current: AttemptSpan | null = null;

  constructor(
    readonly context: TraceContext,
    readonly timing: ServerTiming,
    /** ms since the epoch when the request arrived (request-id middleware), = timing.origin. */
    readonly startMs: number,
    private readonly exporter: OtlpExporter,
    private readonly write: (trace: RequestTrace, contributor: SpanContributor | null, sink: SpanSink) => void,
  ) {}

  /** The traceparent naming our server span (for the usage event, so the evaluator joins the trace). */
  get traceparent(): string {
    return formatTraceparent(this.context.traceId, this.serverSpanId, this.context.sampled);
  }

  hold(): void {
    this.holds++;
  }

  contribute(contributor: SpanContributor): void {
    this.contributor = contributor;
  }

  /** The last holder hands the trace to the exporter (no closure); its promise goes to waitUntil. */
  release(waitUntil: (p: Promise<unknown>) => void): void {
    if (--this.holds !== 0 || !this.context.sampled) return;
    this.endMs = Date.now();
    const sending = this.exporter.add(this);
    if (sending) waitUntil(sending);
  }

  /** The exporter's call, after the response. */
  writeSpans(sink: SpanSink): void {
    this.write(this, this.contributor, sink);
  }

  /** run-attempts' hook: a span per upstream call; the returned function closes it with its record. */
  readonly onAttempt = (attempt: Attempt): ((record: AttemptRecord) => void) => {
    const span: AttemptSpan = {
      spanId: newSpanId(),
      stage: this.timing.current,
      startMs: Date.now(),
      endMs: null,
      model: attempt.model.id,
      upstreamModel: attempt.model.upstreamModel,
      provider: attempt.model.upstream.kind,
      tier: attempt.tier,
      record: null,
      serverAddress: null,
      serverPort: null,
    };
    this.attempts.push(span);
    this.current = span;
    return (record) => {
      span.endMs = Date.now();
      span.record = record;
      if (this.current === span) this.current = null;
    };
  };

  /**
   * fetch for upstream calls: propagates the trace (W3C traceparent naming the attempt's span,
   * and the caller's tracestate) and notes which server the attempt talked to.
   */
  readonly fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const span = this.current;
    const trace: Record<string, string> = { traceparent: formatTraceparent(this.context.traceId, span?.spanId ?? this.serverSpanId, this.context.sampled) };
    if (this.context.tracestate) trace.tracestate = this.context.tracestate;
    const headers = withTrace(init?.headers ?? (input instanceof Request ? input.headers : undefined), trace);
    if (span) {
      const m = SERVER.exec(typeof input === "string" ? input : input instanceof Request ? input.url : input.href);
      if (m) {
        span.serverAddress = m[2]?.toLowerCase() ?? null;
        span.serverPort = m[3] ? Number(m[3]) : m[1]?.toLowerCase() === "https" ? 443 : 80;
      }
    }
    return fetch(input, { ...init, headers });
  };
}
