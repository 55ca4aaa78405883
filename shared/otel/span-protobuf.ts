/**
 * The spans as OTLP/HTTP protobuf (opentelemetry-proto trace/v1 and common/v1, field numbers as
 * in the .proto files; content-type application/x-protobuf), the OTLP spec's default encoding
 * and the cheaper one to write: ids are raw bytes instead of hex, times fixed64 instead of
 * decimal strings, no quoting or escaping, and attribute keys are written once per isolate.
 * Same data as the JSON encoding (span.ts): the same attributes are dropped, the same numbers
 * are ints or doubles.
 */
import { ProtoWriter, varintSize, WireType } from "./proto-writer";
import { SCHEMA_URL, SCOPE, type Attributes, type AttrValue, type Resource, type SpanData, type SpanKindValue } from "./span";
import { writeSpanData, type SpanSink, type SpanSource } from "./span-sink";

const { VARINT, I64, LEN } = WireType;
// AnyValue: 1 string_value, 2 bool_value, 3 int_value, 4 double_value, 5 array_value (ArrayValue: 1 values).
function anyValue(w: ProtoWriter, v: AttrValue | string | number): void {
  if (typeof v === "string") {
    w.stringField(1, v);
  } else if (typeof v === "boolean") {
    w.tag(2, VARINT);
    w.uint32(v ? 1 : 0);
  } else if (typeof v === "number") {
    if (Number.isSafeInteger(v)) {
      w.tag(3, VARINT);
      w.int64(v);
    } else {
      w.tag(4, I64);
      w.double(v);
    }
  } else {
    w.tag(5, LEN);
    const array = w.begin();
    for (const x of v as readonly (string | number)[]) {
      w.tag(1, LEN);
      const value = w.begin();
      anyValue(w, x);
      w.end(value);
    }
    w.end(array);
  }
}

// KeyValue's `key` field (1) with its length and bytes, per attribute name: the names are a small fixed set.
const keyFields = new Map<string, Uint8Array>();
function keyField(key: string): Uint8Array {
  let k = keyFields.get(key);
  if (k === undefined) {
    const w = new ProtoWriter(64);
    w.stringField(1, key);
    k = w.take();
    if (keyFields.size < 1000) keyFields.set(key, k);
  }
  return k;
}

/** One KeyValue as field `field`; null, undefined and non-finite numbers dropped. */
function keyValue(w: ProtoWriter, field: number, key: string, v: AttrValue | null | undefined): void {
  if (v === undefined || v === null || (typeof v === "number" && !Number.isFinite(v))) return;
  w.tag(field, LEN);
  const kv = w.begin();
  w.raw(keyField(key));
  w.tag(2, LEN);
  const value = w.begin();
  anyValue(w, v);
  w.end(value);
  w.end(kv);
}

/** Each attribute as a repeated KeyValue field `field`. */
export function attributesProto(w: ProtoWriter, field: number, attrs: Attributes | undefined): void {
  for (const key in attrs) keyValue(w, field, key, attrs[key]);
}

/**
 * Writes spans as repeated ScopeSpans.spans fields (2) as a SpanSink's calls come: one
 * request's part of a body, next to others'. Reused: `reset` points it at a writer.
 */
export class ProtoSpanSink implements SpanSink {
  /** Spans written since the reset. */
  count = 0;
  private spanAt = 0;
  private eventAt = -1;

  constructor(private w: ProtoWriter) {}

  reset(w: ProtoWriter): this {
    this.w = w;
    this.count = 0;
    return this;
  }

  span(traceId: string, spanId: string, parentSpanId: string | null | undefined, traceState: string | null | undefined, name: string, kind: SpanKindValue, startMs: number, endMs: number): void {
    const w = this.w;
    w.tag(2, LEN);
    this.spanAt = w.begin();
    this.eventAt = -1;
    this.count++;
    w.tag(1, LEN);
    w.hexBytes(traceId);
    w.tag(2, LEN);
    w.hexBytes(spanId);
    if (traceState) w.stringField(3, traceState);
    if (parentSpanId) {
      w.tag(4, LEN);
      w.hexBytes(parentSpanId);
    }
    w.stringField(5, name);
    w.tag(6, VARINT);
    w.uint32(kind);
    w.tag(7, I64);
    w.unixNanos(startMs);
    w.tag(8, I64);
    w.unixNanos(Math.max(startMs, endMs));
  }

  attr(key: string, value: AttrValue | null | undefined): void {
    keyValue(this.w, this.eventAt < 0 ? 9 : 3, key, value);
  }

  event(name: string, timeMs: number): void {
    const w = this.w;
    this.closeEvent();
    w.tag(11, LEN);
    this.eventAt = w.begin();
    w.tag(1, I64);
    w.unixNanos(timeMs);
    w.stringField(2, name);
  }

  end(error?: { message?: string } | null): void {
    const w = this.w;
    this.closeEvent();
    // Status: 2 message, 3 code. Left out when unset (code 0, the default).
    if (error) {
      w.tag(15, LEN);
      const status = w.begin();
      if (error.message) w.stringField(2, error.message);
      w.tag(3, VARINT);
      w.uint32(2);
      w.end(status);
    }
    w.end(this.spanAt);
  }

  private closeEvent(): void {
    if (this.eventAt < 0) return;
    this.w.end(this.eventAt);
    this.eventAt = -1;
  }
}

const scratch = new ProtoWriter();
const sink = new ProtoSpanSink(scratch);

/** A source's spans appended to `w`; returns how many. */
export function appendSourceProto(w: ProtoWriter, source: SpanSource): number {
  source.writeSpans(sink.reset(w));
  return sink.count;
}

/** Built spans appended to `w`. */
export function appendSpansProto(w: ProtoWriter, spans: readonly SpanData[]): void {
  sink.reset(w);
  for (const s of spans) writeSpanData(s, sink);
}

/** Built spans as bytes of their own. */
export function spansProto(spans: readonly SpanData[]): Uint8Array {
  scratch.pos = 0; // whatever a throw left behind
  appendSpansProto(scratch, spans);
  return scratch.take();
}

/**
 * An ExportTraceServiceRequest's bytes before and after `spansLength` bytes of spansProto
 * output: resource_spans(1) { resource(1), scope_spans(2) { scope(1), spans..., schema_url(3) },
 * schema_url(3) }.
 */
export function protoEnvelope(resource: Resource, spansLength: number): [head: Uint8Array, tail: Uint8Array] {
  const w = new ProtoWriter(512);
  w.tag(1, LEN);
  const res = w.begin();
  attributesProto(w, 1, { "service.name": resource.serviceName, "telemetry.sdk.language": "webjs", "telemetry.sdk.name": SCOPE.name, ...resource.attributes });
  w.end(res);
  const resourceField = w.take();
  w.tag(1, LEN);
  const scope = w.begin();
  w.stringField(1, SCOPE.name);
  w.stringField(2, SCOPE.version);
  w.end(scope);
  const scopeField = w.take();
  w.stringField(3, SCHEMA_URL);
  const schemaField = w.take();
  const scopeSpansLength = scopeField.length + spansLength + schemaField.length;
  const resourceSpansLength = resourceField.length + 1 + varintSize(scopeSpansLength) + scopeSpansLength + schemaField.length;
  w.tag(1, LEN);
  w.uint32(resourceSpansLength);
  w.raw(resourceField);
  w.tag(2, LEN);
  w.uint32(scopeSpansLength);
  w.raw(scopeField);
  return [w.take(), concat([schemaField, schemaField])];
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One ExportTraceServiceRequest body for spans of one resource. */
export function encodeExportProto(resource: Resource, spans: readonly SpanData[]): Uint8Array {
  const body = spansProto(spans);
  const [head, tail] = protoEnvelope(resource, body.length);
  return concat([head, body, tail]);
}
