/**
 * A loopback OTLP/HTTP receiver (JSON and protobuf) for tests and local runs: collects every
 * span POSTed to /v1/traces, decoded back to plain attributes. Not part of any Worker bundle.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { protoExportToJson } from "./otlp-proto-decode";

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
  status: number;
  service: string | null;
}

export interface OtlpReceiver {
  url: string;
  spans: ReceivedSpan[];
  /** Request headers of every export (to check configured headers and the content-type arrive). */
  headers: Array<Record<string, string | string[] | undefined>>;
  /** Resolves once `pred` holds over the spans received so far (polls). */
  waitFor(pred: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

function decodeValue(v: Json): unknown {
  if ("stringValue" in v) return v.stringValue;
  if ("boolValue" in v) return v.boolValue;
  if ("intValue" in v) return Number(v.intValue);
  if ("doubleValue" in v) return v.doubleValue;
  if ("arrayValue" in v) return ((v.arrayValue as Json).values as Json[] | undefined ?? []).map(decodeValue);
  return undefined;
}

export function decodeAttributes(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of (list as Array<{ key: string; value: Json }> | undefined) ?? []) out[a.key] = decodeValue(a.value);
  return out;
}

/** Decodes an ExportTraceServiceRequest (JSON text, or protobuf bytes); throws on a shape OTLP would reject. */
export function decodeExport(body: string | Uint8Array): ReceivedSpan[] {
  const req = (typeof body === "string" ? JSON.parse(body) : protoExportToJson(body)) as { resourceSpans: Array<{ resource?: { attributes?: unknown }; scopeSpans: Array<{ spans: Json[] }> }> };
  if (!Array.isArray(req.resourceSpans)) throw new Error("resourceSpans missing");
  const out: ReceivedSpan[] = [];
  for (const rs of req.resourceSpans) {
    const service = decodeAttributes(rs.resource?.attributes)["service.name"];
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans) {
        for (const [k, re] of [["traceId", /^[0-9a-f]{32}$/], ["spanId", /^[0-9a-f]{16}$/]] as const) {
          if (!re.test(String(s[k]))) throw new Error(`bad ${k}: ${String(s[k])}`);
        }
        if (s.parentSpanId !== undefined && !/^[0-9a-f]{16}$/.test(String(s.parentSpanId))) throw new Error("bad parentSpanId");
        out.push({
          traceId: String(s.traceId),
          spanId: String(s.spanId),
          parentSpanId: (s.parentSpanId as string | undefined) ?? null,
          name: String(s.name),
          kind: Number(s.kind),
          startNs: BigInt(String(s.startTimeUnixNano)),
          endNs: BigInt(String(s.endTimeUnixNano)),
          attributes: decodeAttributes(s.attributes),
          events: ((s.events as Json[] | undefined) ?? []).map((e) => ({ name: String(e.name), attributes: decodeAttributes(e.attributes) })),
          status: Number((s.status as Json | undefined)?.code ?? 0),
          service: typeof service === "string" ? service : null,
        });
      }
    }
  }
  return out;
}

export async function startOtlpReceiver(options: { port?: number; host?: string; onSpans?: (spans: ReceivedSpan[]) => void } = {}): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const headers: OtlpReceiver["headers"] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const type = String(req.headers["content-type"]);
      const proto = type.startsWith("application/x-protobuf");
      if (req.method !== "POST" || req.url !== "/v1/traces" || !(proto || type.startsWith("application/json"))) {
        res.writeHead(404).end();
        return;
      }
      try {
        const body = Buffer.concat(chunks);
        const received = decodeExport(proto ? body : body.toString("utf8"));
        spans.push(...received);
        options.onSpans?.(received);
        headers.push(req.headers);
        // An empty ExportTraceServiceResponse in the request's encoding.
        res.writeHead(200, { "content-type": proto ? "application/x-protobuf" : "application/json" }).end(proto ? "" : "{}");
      } catch (err) {
        res.writeHead(400).end(String(err));
      }
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    spans,
    headers,
    async waitFor(pred, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (!pred(spans)) {
        if (Date.now() > until) throw new Error(`OTLP receiver: condition not met; got ${spans.length} spans: ${spans.map((s) => s.name).join(", ")}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return spans;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
