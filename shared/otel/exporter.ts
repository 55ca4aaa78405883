/**
 * Batches spans per isolate and POSTs them as OTLP/HTTP (protobuf, or JSON: otlp-encoding.ts),
 * off the response path: a
 * request hands over a source that writes its spans when asked (its trace), not spans, so even
 * writing and encoding them
 * happens after its response: in a timer task soon after (or once 16 builders wait), and the
 * batch keeps each request's spans as encoded bytes until the flush. The first request of a batch
 * gets the linger timer's promise for its waitUntil (the isolate stays alive until the batch is
 * out); the others register nothing, as with usage events (telemetry/event-batcher.ts). A failed
 * export is logged by status only and dropped: tracing never fails or retries a request.
 *
 * Why encode early rather than at the flush: a waiting source keeps its whole request alive (exchange,
 * timings, closures). Held for the 250 ms linger, those objects outlive young-generation
 * collections and get copied and promoted, which bench:observability measured as the largest
 * part of tracing's CPU. The encoded requests go back to back into one buffer the exporter
 * keeps from batch to batch: no bytes object per request, one body per POST.
 */
import type { OtelConfig } from "./config";
import { otlpEncoding, type OtlpEncoding } from "./otlp-encoding";
import { ProtoWriter } from "./proto-writer";
import type { Attributes } from "./span";
import type { SpanSource } from "./span-sink";

export interface ExporterOptions {
  /** Spans per POST; collectors accept MBs, this keeps one body around a few hundred KB. */
  maxSpans: number;
  /** Requests queued before a flush is forced. */
  maxPending: number;
  lingerMs: number;
}

// One POST per forced flush (200 requests of ~9 spans, ~0.5 MB of protobuf) rather than four:
// a POST costs the isolate a fetch, a body copy and a response.
export const DEFAULT_EXPORTER: ExporterOptions = { maxSpans: 2048, maxPending: 200, lingerMs: 250 };

/** Builders kept before they are built and encoded without waiting for the timer. */
const MAX_UNBUILT = 16;
/** A batch buffer grown past this (captured content) is not kept for the next batch. */
const KEEP_BYTES = 1 << 20;

export class OtlpExporter {
  private unbuilt: SpanSource[] = [];
  /** The encoded requests, back to back, and where each ends with its span count. */
  private batch = new ProtoWriter(16384);
  private ends: number[] = [];
  private counts: number[] = [];
  private queued = 0;
  private encodeTimer: unknown = null;
  private timer: Promise<void> | null = null;
  private readonly encoding: OtlpEncoding;

  constructor(
    private readonly config: OtelConfig,
    private readonly fetcher: typeof fetch,
    resource: Attributes = {},
    private readonly options: ExporterOptions = DEFAULT_EXPORTER,
  ) {
    this.encoding = otlpEncoding(config.protocol, { serviceName: config.serviceName, attributes: resource });
  }

  /** Queues one request's spans; returns the promise to hand to waitUntil, or null. */
  add(source: SpanSource): Promise<void> | null {
    this.unbuilt.push(source);
    if (++this.queued >= this.options.maxPending) return this.flush();
    if (this.unbuilt.length >= MAX_UNBUILT) this.encodePending();
    else this.encodeTimer ??= setTimeout(() => this.encodePending(), 0);
    if (this.timer) return null;
    this.timer = new Promise<void>((resolve) => setTimeout(resolve, this.options.lingerMs)).then(() => this.flush());
    return this.timer;
  }

  async flush(): Promise<void> {
    this.encodePending();
    // Every body is cut from the buffer before the first await: the next batch reuses it.
    const bodies: Array<{ body: Uint8Array; spans: number }> = [];
    const { buf } = this.batch;
    let from = 0;
    let spans = 0;
    for (let i = 0; i < this.ends.length; i++) {
      spans += this.counts[i] as number;
      if (spans >= this.options.maxSpans || i === this.ends.length - 1) {
        const to = this.ends[i] as number;
        bodies.push({ body: this.encoding.body(buf.subarray(from, to)), spans });
        from = to;
        spans = 0;
      }
    }
    if (this.batch.buf.length > KEEP_BYTES) this.batch = new ProtoWriter(16384);
    this.batch.pos = 0;
    this.ends = [];
    this.counts = [];
    this.queued = 0;
    this.timer = null;
    for (const b of bodies) await this.post(b.body, b.spans);
  }

  private encodePending(): void {
    // Not cleared: the timer may belong to another request's context, which may end before it
    // fires (hence the reset here, so the next add arms a new one); firing late, it finds
    // nothing to do or the next few builders.
    this.encodeTimer = null;
    const builders = this.unbuilt;
    this.unbuilt = [];
    for (const source of builders) {
      const at = this.batch.pos;
      let spans: number;
      try {
        spans = this.encoding.append(this.batch, source);
      } catch (err) {
        // A source reads what the request recorded; a bug there loses that trace, nothing else.
        this.batch.pos = at;
        console.error(JSON.stringify({ level: "error", msg: "spans not built", error: err instanceof Error ? err.name : "unknown" }));
        continue;
      }
      if (spans) {
        this.ends.push(this.batch.pos);
        this.counts.push(spans);
      }
    }
  }

  private async post(body: Uint8Array, spans: number): Promise<void> {
    try {
      const res = await this.fetcher(this.config.url, { method: "POST", headers: { ...this.config.headers, "content-type": this.encoding.contentType }, body });
      if (!res.ok) console.warn(JSON.stringify({ level: "warn", msg: "OTLP export rejected", status: res.status, spans }));
      // Drain so the connection is reused.
      await res.body?.cancel().catch(() => undefined);
    } catch (err) {
      console.warn(JSON.stringify({ level: "warn", msg: "OTLP export failed", spans, error: err instanceof Error ? err.name : "unknown" }));
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
