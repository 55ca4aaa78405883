/**
 * Exporter settings from Worker vars, spelled as the OpenTelemetry SDK environment variables
 * (https://opentelemetry.io/docs/specs/otel/protocol/exporter/) so a collector's docs apply
 * as written:
 *   OTEL_EXPORTER_OTLP_TRACES_ENDPOINT  full URL of the traces endpoint, or
 *   OTEL_EXPORTER_OTLP_ENDPOINT         base URL; `/v1/traces` is appended
 *   OTEL_EXPORTER_OTLP_HEADERS          `key=value,key2=value2` (values percent-decoded); a secret
 *   OTEL_SERVICE_NAME                   service.name (default: the Worker's)
 *   OTEL_TRACES_SAMPLER_ARG             ratio of new traces sampled (default 1); a caller's
 *                                       traceparent decides for the traces it starts
 *   OTEL_EXPORTER_OTLP_TRACES_PROTOCOL  `http/protobuf` (the default, as in the spec) or
 *   OTEL_EXPORTER_OTLP_PROTOCOL         `http/json`; grpc is not available in a Worker
 * Unset (or empty) endpoint = tracing off, and the request path does nothing at all.
 */
import type { OtlpProtocol } from "./otlp-encoding";

export interface OtelVars {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_HEADERS?: string;
  OTEL_SERVICE_NAME?: string;
  OTEL_TRACES_SAMPLER_ARG?: string;
  OTEL_EXPORTER_OTLP_PROTOCOL?: string;
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?: string;
}

export interface OtelConfig {
  url: string;
  headers: Record<string, string>;
  serviceName: string;
  ratio: number;
  protocol: OtlpProtocol;
  /** Identity of the settings: one exporter (and batch) per distinct config in an isolate. */
  key: string;
}

/** Headers parsed from the W3C-baggage-like list the OTel spec defines; malformed pairs are skipped. */
export function parseHeaders(list: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!list) return out;
  for (const pair of list.split(",")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const key = pair.slice(0, eq).trim().toLowerCase();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(key)) continue;
    let value = pair.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // Not percent-encoded after all: use it as written.
    }
    out[key] = value;
  }
  return out;
}

function tracesUrl(vars: OtelVars): string | null {
  const full = vars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (full) return full;
  const base = vars.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!base) return null;
  return `${base.replace(/\/+$/, "")}/v1/traces`;
}

let cached: { vars: string; config: OtelConfig | null } | null = null;

/** The exporter config, or null when tracing is off. Parsed once per distinct set of vars. */
export function otelConfig(vars: OtelVars, defaultServiceName: string): OtelConfig | null {
  if (!vars.OTEL_EXPORTER_OTLP_ENDPOINT && !vars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return null;
  const id = `${vars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? ""}\u0000${vars.OTEL_EXPORTER_OTLP_ENDPOINT ?? ""}\u0000${vars.OTEL_EXPORTER_OTLP_HEADERS ?? ""}\u0000${vars.OTEL_SERVICE_NAME ?? ""}\u0000${vars.OTEL_TRACES_SAMPLER_ARG ?? ""}\u0000${vars.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? ""}\u0000${vars.OTEL_EXPORTER_OTLP_PROTOCOL ?? ""}\u0000${defaultServiceName}`;
  if (cached?.vars === id) return cached.config;
  cached = { vars: id, config: buildConfig(vars, defaultServiceName, id) };
  return cached.config;
}

function protocol(vars: OtelVars): OtlpProtocol {
  const given = (vars.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || vars.OTEL_EXPORTER_OTLP_PROTOCOL || "").trim();
  if (given === "http/json") return "http/json";
  if (given && given !== "http/protobuf") console.warn(JSON.stringify({ level: "warn", msg: "OTLP protocol not available in a Worker; using http/protobuf", protocol: given }));
  return "http/protobuf";
}

function buildConfig(vars: OtelVars, defaultServiceName: string, key: string): OtelConfig | null {
  const url = tracesUrl(vars);
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("not http(s)");
  } catch {
    console.warn(JSON.stringify({ level: "warn", msg: "OTLP endpoint is not an http(s) URL; tracing stays off" }));
    return null;
  }
  const ratio = Number.parseFloat(vars.OTEL_TRACES_SAMPLER_ARG ?? "1");
  return {
    url,
    headers: parseHeaders(vars.OTEL_EXPORTER_OTLP_HEADERS),
    serviceName: vars.OTEL_SERVICE_NAME?.trim() || defaultServiceName,
    ratio: Number.isFinite(ratio) ? Math.min(1, Math.max(0, ratio)) : 1,
    protocol: protocol(vars),
    key,
  };
}
