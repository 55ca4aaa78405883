/**
 * The spans we export, as plain data, and their OTLP/HTTP JSON encoding
 * (opentelemetry-proto trace/v1, JSON mapping per the OTLP spec: ids as hex, enums as
 * integers, 64-bit integers as decimal strings). Spans are built after the fact from what the
 * request path already records, so there is no live-span API here.
 */

export type AttrValue = string | number | boolean | readonly string[] | readonly number[];
/** undefined / null attributes are dropped on encoding, so builders can spread optionals freely. */
export type Attributes = Record<string, AttrValue | null | undefined>;

export const SpanKind = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;
export type SpanKindValue = (typeof SpanKind)[keyof typeof SpanKind];

export interface SpanEvent {
  name: string;
  timeMs: number;
  attributes?: Attributes;
}

export interface SpanData {
  traceId: string;
  spanId: string;
  parentSpanId?: string | null;
  name: string;
  kind: SpanKindValue;
  /** ms since the epoch; fractions are kept (sub-ms stage timings). */
  startMs: number;
  endMs: number;
  attributes: Attributes;
  events?: SpanEvent[];
  /** Unset unless an error: OTel says instrumentation leaves OK to the application. */
  error?: { message?: string } | null;
  traceState?: string | null;
}

export interface Resource {
  serviceName: string;
  attributes?: Attributes;
}

/** The semconv release whose GenAI names we follow (GenAI conventions are "Development"). */
export const SEMCONV_VERSION = "1.39.0";
export const SCHEMA_URL = `https://opentelemetry.io/schemas/${SEMCONV_VERSION}`;
export const SCOPE = { name: "edge-llm-gateway", version: "0.1.0" };

type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: AnyValue[] } };

function anyValue(v: AttrValue): AnyValue {
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  if (typeof v === "number") return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { arrayValue: { values: (v as readonly (string | number)[]).map((x) => anyValue(x)) } };
}

export function encodeAttributes(attrs: Attributes | undefined): Array<{ key: string; value: AnyValue }> {
  const out: Array<{ key: string; value: AnyValue }> = [];
  if (!attrs) return out;
  for (const key in attrs) {
    const v = attrs[key];
    if (v === undefined || v === null || (typeof v === "number" && !Number.isFinite(v))) continue;
    out.push({ key, value: anyValue(v) });
  }
  return out;
}

/** ms (may be fractional) -> unix nanoseconds as a decimal string (exact to ~0.25 us at today's epoch). */
export const nanos = (ms: number): string => String(Math.round(ms * 1e6));

export function encodeSpan(s: SpanData): Record<string, unknown> {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    ...(s.traceState ? { traceState: s.traceState } : {}),
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: nanos(s.startMs),
    endTimeUnixNano: nanos(Math.max(s.startMs, s.endMs)),
    attributes: encodeAttributes(s.attributes),
    ...(s.events?.length ? { events: s.events.map((e) => ({ timeUnixNano: nanos(e.timeMs), name: e.name, attributes: encodeAttributes(e.attributes) })) } : {}),
    status: s.error ? { code: 2, ...(s.error.message ? { message: s.error.message } : {}) } : { code: 0 },
  };
}

/** One ExportTraceServiceRequest body for spans of one resource. */
export function encodeExport(resource: Resource, spans: readonly SpanData[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: encodeAttributes({ "service.name": resource.serviceName, "telemetry.sdk.language": "webjs", "telemetry.sdk.name": SCOPE.name, ...resource.attributes }) },
        schemaUrl: SCHEMA_URL,
        scopeSpans: [{ scope: SCOPE, schemaUrl: SCHEMA_URL, spans: spans.map(encodeSpan) }],
      },
    ],
  });
}
