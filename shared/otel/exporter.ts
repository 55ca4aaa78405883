/**
 * Batches spans per isolate and POSTs them as OTLP/HTTP JSON, off the response path: a
 * request hands over a builder (a closure), not spans, so even building and encoding them
 * happens after its response, inside the batch's flush. The first request of a batch gets the
 * linger timer's promise for its waitUntil (the isolate stays alive until the batch is out);
 * the others register nothing, as with usage events (telemetry/event-batcher.ts). A failed
 * export is logged by status only and dropped: tracing never fails or retries a request.
 */
import type { OtelConfig } from "./config";
import { encodeExport, type Attributes, type SpanData } from "./span";

export type SpanBuilder = () => SpanData[];

export interface ExporterOptions {
  /** Spans per POST; collectors accept MBs, this keeps one body around a few hundred KB. */
  maxSpans: number;
  /** Builders (≈ requests) queued before a flush is forced. */
  maxPending: number;
  lingerMs: number;
}

export const DEFAULT_EXPORTER: ExporterOptions = { maxSpans: 512, maxPending: 200, lingerMs: 250 };

export class OtlpExporter {
  private pending: SpanBuilder[] = [];
  private timer: Promise<void> | null = null;

  constructor(
    private readonly config: OtelConfig,
    private readonly fetcher: typeof fetch,
    private readonly resource: Attributes = {},
    private readonly options: ExporterOptions = DEFAULT_EXPORTER,
  ) {}

  /** Queues one request's spans; returns the promise to hand to waitUntil, or null. */
  add(build: SpanBuilder): Promise<void> | null {
    this.pending.push(build);
    if (this.pending.length >= this.options.maxPending) return this.flush();
    if (this.timer) return null;
    this.timer = new Promise<void>((resolve) => setTimeout(resolve, this.options.lingerMs)).then(() => this.flush());
    return this.timer;
  }

  async flush(): Promise<void> {
    const builders = this.pending;
    this.pending = [];
    this.timer = null;
    if (builders.length === 0) return;
    const spans: SpanData[] = [];
    for (const build of builders) {
      try {
        spans.push(...build());
      } catch (err) {
        // A builder reads what the request recorded; a bug there loses that trace, nothing else.
        console.error(JSON.stringify({ level: "error", msg: "spans not built", error: err instanceof Error ? err.name : "unknown" }));
      }
    }
    for (let i = 0; i < spans.length; i += this.options.maxSpans) await this.post(spans.slice(i, i + this.options.maxSpans));
  }

  private async post(spans: SpanData[]): Promise<void> {
    try {
      const body = encodeExport({ serviceName: this.config.serviceName, attributes: this.resource }, spans);
      const res = await this.fetcher(this.config.url, { method: "POST", headers: { ...this.config.headers, "content-type": "application/json" }, body });
      if (!res.ok) console.warn(JSON.stringify({ level: "warn", msg: "OTLP export rejected", status: res.status, spans: spans.length }));
      // Drain so the connection is reused.
      await res.body?.cancel().catch(() => undefined);
    } catch (err) {
      console.warn(JSON.stringify({ level: "warn", msg: "OTLP export failed", spans: spans.length, error: err instanceof Error ? err.name : "unknown" }));
    }
  }
}

const exporters = new Map<string, OtlpExporter>();

/** This isolate's exporter for a config (one batch per destination). */
export function exporterFor(config: OtelConfig, resource: Attributes = {}): OtlpExporter {
  let e = exporters.get(config.key);
  if (!e) {
    e = new OtlpExporter(config, (input, init) => fetch(input, init), resource);
    exporters.set(config.key, e);
  }
  return e;
}
