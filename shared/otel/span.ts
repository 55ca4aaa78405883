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

// The encoding writes JSON text directly rather than building OTLP's nested objects
// (`{key, value: {stringValue}}` per attribute) for JSON.stringify: measured in
// bench:observability, the intermediate objects and their walk were most of a trace's cost.
// Every string (keys, values, names) goes through JSON.stringify; ids are our own hex.

// int64 is a decimal string in OTLP JSON; a double beyond ±2^53 or non-finite (possible inside an
// array: only top-level non-finite values are dropped) takes proto3 JSON's forms, never bare NaN.
function numberJson(v: number): string {
  if (Number.isSafeInteger(v)) return `{"intValue":"${v}"}`;
  return Number.isFinite(v) ? `{"doubleValue":${v}}` : `{"doubleValue":"${v}"}`;
}

function valueJson(v: AttrValue): string {
  if (typeof v === "string") return `{"stringValue":${JSON.stringify(v)}}`;
  if (typeof v === "boolean") return `{"boolValue":${v}}`;
  if (typeof v === "number") return numberJson(v);
  let out = "";
  for (const x of v as readonly (string | number)[]) out += `${out ? "," : ""}${valueJson(x)}`;
  return `{"arrayValue":{"values":[${out}]}}`;
}

// `{"key":"<name>","value":` per attribute name, escaped once: the names are a small fixed set.
const keyPrefixes = new Map<string, string>();
const keyPrefix = (key: string): string => {
  let p = keyPrefixes.get(key);
  if (p === undefined) {
    p = `{"key":${JSON.stringify(key)},"value":`;
    if (keyPrefixes.size < 1000) keyPrefixes.set(key, p);
  }
  return p;
};

export function attributesJson(attrs: Attributes | undefined): string {
  let out = "";
  if (attrs) {
    for (const key in attrs) {
      const v = attrs[key];
      if (v === undefined || v === null || (typeof v === "number" && !Number.isFinite(v))) continue;
      out += `${out ? "," : ""}${keyPrefix(key)}${valueJson(v)}}`;
    }
  }
  return `[${out}]`;
}

/** ms (may be fractional) -> unix nanoseconds as a decimal string (exact to ~0.25 us at today's epoch). */
export const nanos = (ms: number): string => String(Math.round(ms * 1e6));

export function spanJson(s: SpanData): string {
  let events = "";
  for (const e of s.events ?? []) events += `${events ? "," : ""}{"timeUnixNano":"${nanos(e.timeMs)}","name":${JSON.stringify(e.name)},"attributes":${attributesJson(e.attributes)}}`;
  const status = s.error ? `{"code":2${s.error.message ? `,"message":${JSON.stringify(s.error.message)}` : ""}}` : `{"code":0}`;
  return (
    `{"traceId":"${s.traceId}","spanId":"${s.spanId}"${s.parentSpanId ? `,"parentSpanId":"${s.parentSpanId}"` : ""}` +
    `${s.traceState ? `,"traceState":${JSON.stringify(s.traceState)}` : ""},"name":${JSON.stringify(s.name)},"kind":${s.kind}` +
    `,"startTimeUnixNano":"${nanos(s.startMs)}","endTimeUnixNano":"${nanos(Math.max(s.startMs, s.endMs))}"` +
    `,"attributes":${attributesJson(s.attributes)}${events ? `,"events":[${events}]` : ""},"status":${status}}`
  );
}

/** An ExportTraceServiceRequest's text before and after its spans (comma-separated spanJson). */
export function exportEnvelope(resource: Resource): [head: string, tail: string] {
  const attrs = attributesJson({ "service.name": resource.serviceName, "telemetry.sdk.language": "webjs", "telemetry.sdk.name": SCOPE.name, ...resource.attributes });
  const scope = JSON.stringify(SCOPE);
  return [`{"resourceSpans":[{"resource":{"attributes":${attrs}},"schemaUrl":"${SCHEMA_URL}","scopeSpans":[{"scope":${scope},"schemaUrl":"${SCHEMA_URL}","spans":[`, "]}]}]}"];
}

/** One ExportTraceServiceRequest body for spans of one resource. */
export function encodeExport(resource: Resource, spans: readonly SpanData[]): string {
  const [head, tail] = exportEnvelope(resource);
  let body = "";
  for (const sp of spans) body += `${body ? "," : ""}${spanJson(sp)}`;
  return head + body + tail;
}
