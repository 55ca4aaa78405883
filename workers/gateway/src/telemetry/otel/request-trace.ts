/**
 * One request's trace while it runs: the W3C context it joined, its server span's id, the
 * upstream attempts as they start and end (run-attempts' `onAttempt` hook), and, for chat, the
 * exchange to describe. Nothing is built until the trace is released by everyone holding it
 * (the middleware, and a chat request until its usage event is published, which for a stream
 * is after the last byte); then a span builder goes to the isolate's OTLP exporter, which
 * builds and sends the spans after the response (telemetry/otel/README in docs/observability.md).
 */
import { formatTraceparent, newSpanId, type TraceContext } from "../../../../../shared/otel/trace-context";
import type { AttemptRecord } from "../../../../../shared/schemas/usage-event";
import type { OtlpExporter } from "../../../../../shared/otel/exporter";
import type { SpanData } from "../../../../../shared/otel/span";
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

/** The spans of one request, before encoding: a route's contributor enriches them in place. */
export interface BuiltSpans {
  server: SpanData;
  /** Stage spans by stage name (the last one of a name). */
  stages: Map<string, SpanData>;
  attempts: Array<{ facts: AttemptSpan; span: SpanData }>;
}

/** What a route adds once it knows it (chat: the exchange, its outcome and decisions). */
export type SpanContributor = (spans: BuiltSpans) => void;

export class RequestTrace {
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
    private readonly build: (trace: RequestTrace, contributor: SpanContributor | null) => SpanData[],
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

  /** The last holder hands the span builder to the exporter; its promise goes to waitUntil. */
  release(waitUntil: (p: Promise<unknown>) => void): void {
    if (--this.holds !== 0 || !this.context.sampled) return;
    this.endMs = Date.now();
    const contributor = this.contributor;
    const sending = this.exporter.add(() => this.build(this, contributor));
    if (sending) waitUntil(sending);
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
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set("traceparent", formatTraceparent(this.context.traceId, span?.spanId ?? this.serverSpanId, this.context.sampled));
    if (this.context.tracestate) headers.set("tracestate", this.context.tracestate);
    if (span) {
      try {
        const url = new URL(input instanceof Request ? input.url : String(input));
        span.serverAddress = url.hostname;
        span.serverPort = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
      } catch {
        // An unparsable URL fails in fetch itself; the span just lacks server.address.
      }
    }
    return fetch(input, { ...init, headers });
  };
}
