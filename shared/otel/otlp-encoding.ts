/**
 * The two OTLP/HTTP body encodings the exporter can send (OTEL_EXPORTER_OTLP_PROTOCOL):
 * `http/protobuf` (the OTLP spec's default, and ours: smaller and cheaper to write) and
 * `http/json`. Either way a request's spans are encoded on their own, soon after its response
 * (protobuf straight from the sink's calls, JSON from the spans collected from them),
 * appended to the batch's one buffer, and a POST's body is a run of them inside the
 * ExportTraceServiceRequest envelope.
 */
import type { ProtoWriter } from "./proto-writer";
import { exportEnvelope, spanJson, type Resource, type SpanData } from "./span";
import { appendSourceProto, concat, protoEnvelope, spansProto } from "./span-protobuf";
import { collectSpans, type SpanSource } from "./span-sink";

export type OtlpProtocol = "http/protobuf" | "http/json";

export interface OtlpEncoding {
  contentType: string;
  /**
   * Appends one request's spans to a batch's bytes (the exporter keeps one growing buffer, so
   * a request allocates no bytes of its own); any run of whole requests' bytes is a valid part.
   * Returns how many spans.
   */
  append(batch: ProtoWriter, source: SpanSource): number;
  /** The POST body around a run of appended requests' bytes. */
  body(requests: Uint8Array): Uint8Array;
  /** One request's spans as bytes of their own (the code-alone bench times the encoders with it). */
  encode(spans: readonly SpanData[]): Uint8Array;
}

const utf8 = new TextEncoder();

function jsonEncoding(resource: Resource): OtlpEncoding {
  const [head, tail] = exportEnvelope(resource).map((t) => utf8.encode(t)) as [Uint8Array, Uint8Array];
  return {
    contentType: "application/json",
    // Every span with a comma before it: the body drops the run's first one.
    append(batch, source) {
      const spans = collectSpans(source);
      for (const span of spans) batch.text(`,${spanJson(span)}`);
      return spans.length;
    },
    body(requests) {
      return concat([head, requests.subarray(1), tail]);
    },
    encode(spans) {
      let json = "";
      for (const span of spans) json += `${json ? "," : ""}${spanJson(span)}`;
      return utf8.encode(json);
    },
  };
}

function protobufEncoding(resource: Resource): OtlpEncoding {
  return {
    contentType: "application/x-protobuf",
    append: appendSourceProto,
    body(requests) {
      const [head, tail] = protoEnvelope(resource, requests.length);
      return concat([head, requests, tail]);
    },
    encode: spansProto,
  };
}

export function otlpEncoding(protocol: OtlpProtocol, resource: Resource): OtlpEncoding {
  return protocol === "http/json" ? jsonEncoding(resource) : protobufEncoding(resource);
}
