/**
 * The two OTLP/HTTP body encodings the exporter can send (OTEL_EXPORTER_OTLP_PROTOCOL):
 * `http/protobuf` (the OTLP spec's default, and ours: smaller and cheaper to write) and
 * `http/json`. Either way a request's spans are encoded on their own, soon after its response,
 * and a POST's body is those parts joined inside the ExportTraceServiceRequest envelope.
 */
import { exportEnvelope, spanJson, type Resource, type SpanData } from "./span";
import { concat, protoEnvelope, spansProto } from "./span-protobuf";

export type OtlpProtocol = "http/protobuf" | "http/json";

export interface OtlpEncoding {
  contentType: string;
  /** One request's spans, ready to join with other requests' parts. */
  encode(spans: readonly SpanData[]): Uint8Array;
  /** The POST body around the parts of several requests. */
  body(parts: ReadonlyArray<Uint8Array>): Uint8Array;
}

const utf8 = new TextEncoder();
const COMMA = 44;

function jsonEncoding(resource: Resource): OtlpEncoding {
  const [head, tail] = exportEnvelope(resource).map((t) => utf8.encode(t)) as [Uint8Array, Uint8Array];
  return {
    contentType: "application/json",
    encode(spans) {
      let json = "";
      for (const span of spans) json += `${json ? "," : ""}${spanJson(span)}`;
      return utf8.encode(json);
    },
    body(parts) {
      const body = new Uint8Array(head.length + tail.length + parts.reduce((n, p) => n + p.length, 0) + parts.length - 1);
      body.set(head);
      let at = head.length;
      parts.forEach((p, i) => {
        if (i) body[at++] = COMMA;
        body.set(p, at);
        at += p.length;
      });
      body.set(tail, at);
      return body;
    },
  };
}

function protobufEncoding(resource: Resource): OtlpEncoding {
  return {
    contentType: "application/x-protobuf",
    encode: spansProto,
    body(parts) {
      const [head, tail] = protoEnvelope(resource, parts.reduce((n, p) => n + p.length, 0));
      return concat([head, ...parts, tail]);
    },
  };
}

export function otlpEncoding(protocol: OtlpProtocol, resource: Resource): OtlpEncoding {
  return protocol === "http/json" ? jsonEncoding(resource) : protobufEncoding(resource);
}
