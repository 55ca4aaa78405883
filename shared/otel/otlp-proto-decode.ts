/**
 * OTLP/HTTP protobuf bodies decoded with protobufjs (an independent decoder, not our writer
 * read backwards) from the trace/v1 and common/v1 messages of opentelemetry-proto, into the
 * OTLP JSON mapping's objects, so the loopback receiver checks both encodings one way.
 * Node only (tests, benchmarks, the local receiver script): never in a Worker bundle.
 */
import protobuf from "protobufjs";

// From opentelemetry-proto v1.5 (opentelemetry/proto/{common,resource,trace}/v1/*.proto and
// collector/trace/v1/trace_service.proto): the fields our exporter writes and a few around them.
const PROTO = `
syntax = "proto3";
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7; } }
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Status { string message = 2; int32 code = 3; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; string name = 5; int32 kind = 6;
  fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9; uint32 dropped_attributes_count = 10;
  repeated Event events = 11; uint32 dropped_events_count = 12; uint32 dropped_links_count = 14; Status status = 15; fixed32 flags = 16;
}
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
`;

const Request = protobuf.parse(PROTO, { keepCase: false }).root.lookupType("ExportTraceServiceRequest");

type Json = Record<string, unknown>;

const hex = (b: unknown): string => Buffer.from(b as Uint8Array).toString("hex");

// toObject gives bytes as Buffers and int64/fixed64 as decimal strings; ids become hex as in JSON.
function span(s: Json): Json {
  const parent = hex(s.parentSpanId ?? []);
  return { ...s, traceId: hex(s.traceId), spanId: hex(s.spanId), ...(parent ? { parentSpanId: parent } : { parentSpanId: undefined }), status: s.status ?? { code: 0 } };
}

/** An ExportTraceServiceRequest (protobuf) as the objects of its JSON mapping; throws when it is not one. */
export function protoExportToJson(body: Uint8Array): Json {
  const obj = Request.toObject(Request.decode(body), { longs: String, enums: Number, defaults: true, oneofs: false }) as Json;
  const resourceSpans = ((obj.resourceSpans as Json[] | undefined) ?? []).map((rs) => ({
    ...rs,
    scopeSpans: ((rs.scopeSpans as Json[] | undefined) ?? []).map((ss) => ({ ...ss, spans: ((ss.spans as Json[] | undefined) ?? []).map(span) })),
  }));
  return { resourceSpans };
}
