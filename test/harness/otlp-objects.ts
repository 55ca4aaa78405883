/**
 * The OTLP/HTTP JSON mapping spelled out as nested objects for JSON.stringify (what the encoder
 * in shared/otel/span.ts did before it wrote the text directly). The oracle the encoder's test
 * compares against after JSON.parse, and bench:observability's side-by-side baseline.
 */
import { SCHEMA_URL, SCOPE, nanos, type Attributes, type AttrValue, type Resource, type SpanData } from "../../shared/otel/span";

type AnyValue = { stringValue: string } | { boolValue: boolean } | { intValue: string } | { doubleValue: number | string } | { arrayValue: { values: AnyValue[] } };

function anyValue(v: AttrValue | string | number): AnyValue {
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  // proto3 JSON: int64 as a decimal string; non-finite doubles as "NaN" / "Infinity" / "-Infinity".
  if (typeof v === "number") return Number.isSafeInteger(v) ? { intValue: String(v) } : { doubleValue: Number.isFinite(v) ? v : String(v) };
  return { arrayValue: { values: (v as readonly (string | number)[]).map(anyValue) } };
}

/** Null, undefined and non-finite numbers are dropped at the top level. */
export function attributeObjects(attrs: Attributes = {}): Array<{ key: string; value: AnyValue }> {
  const out: Array<{ key: string; value: AnyValue }> = [];
  for (const key in attrs) {
    const v = attrs[key];
    if (v === undefined || v === null || (typeof v === "number" && !Number.isFinite(v))) continue;
    out.push({ key, value: anyValue(v) });
  }
  return out;
}

export function spanObject(s: SpanData): Record<string, unknown> {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    ...(s.traceState ? { traceState: s.traceState } : {}),
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: nanos(s.startMs),
    endTimeUnixNano: nanos(Math.max(s.startMs, s.endMs)),
    attributes: attributeObjects(s.attributes),
    ...(s.events?.length ? { events: s.events.map((e) => ({ timeUnixNano: nanos(e.timeMs), name: e.name, attributes: attributeObjects(e.attributes) })) } : {}),
    status: s.error ? { code: 2, ...(s.error.message ? { message: s.error.message } : {}) } : { code: 0 },
  };
}

/** One ExportTraceServiceRequest, as objects. */
export function exportObject(resource: Resource, spans: readonly SpanData[]): Record<string, unknown> {
  const attributes = attributeObjects({ "service.name": resource.serviceName, "telemetry.sdk.language": "webjs", "telemetry.sdk.name": SCOPE.name, ...resource.attributes });
  return { resourceSpans: [{ resource: { attributes }, schemaUrl: SCHEMA_URL, scopeSpans: [{ scope: SCOPE, schemaUrl: SCHEMA_URL, spans: spans.map(spanObject) }] }] };
}
