/**
 * Spans written as a sequence of calls instead of built as objects: a span, its attributes,
 * its events (each followed by its own attributes), then its end with the error status if any.
 * The protobuf encoding (span-protobuf.ts) writes the bytes as the calls come, so a request's
 * trace is encoded without span or attribute objects in between; SpanCollector builds SpanData
 * from the same calls (the JSON encoding, tests).
 */
import type { Attributes, AttrValue, SpanData, SpanEvent, SpanKindValue } from "./span";

export interface SpanSink {
  /** Opens a span; a null or empty parent or trace state is left out. */
  span(traceId: string, spanId: string, parentSpanId: string | null | undefined, traceState: string | null | undefined, name: string, kind: SpanKindValue, startMs: number, endMs: number): void;
  /** An attribute of the open span, or of its last event once one is open. Null, undefined and non-finite numbers are dropped; a key is written once. */
  attr(key: string, value: AttrValue | null | undefined): void;
  /** Opens an event on the span, after the span's attributes. */
  event(name: string, timeMs: number): void;
  /** Closes the span, with an error status when `error` is given (OTel leaves OK unset). */
  end(error?: { message?: string } | null): void;
}

/** What the exporter asks, after the response, to write one request's spans. */
export interface SpanSource {
  writeSpans(sink: SpanSink): void;
}

/** Replays a built span into a sink. */
export function writeSpanData(s: SpanData, sink: SpanSink): void {
  sink.span(s.traceId, s.spanId, s.parentSpanId, s.traceState, s.name, s.kind, s.startMs, s.endMs);
  for (const key in s.attributes) sink.attr(key, s.attributes[key]);
  for (const e of s.events ?? []) {
    sink.event(e.name, e.timeMs);
    for (const key in e.attributes) sink.attr(key, e.attributes[key]);
  }
  sink.end(s.error);
}

/** Built spans as a source (tests, the code-alone bench). */
export const spanDataSource = (build: () => readonly SpanData[]): SpanSource => ({
  writeSpans: (sink) => {
    for (const s of build()) writeSpanData(s, sink);
  },
});

/** Builds SpanData from a sink's calls. */
export class SpanCollector implements SpanSink {
  readonly spans: SpanData[] = [];
  private attrs: Attributes = {};

  span(traceId: string, spanId: string, parentSpanId: string | null | undefined, traceState: string | null | undefined, name: string, kind: SpanKindValue, startMs: number, endMs: number): void {
    this.attrs = {};
    this.spans.push({ traceId, spanId, parentSpanId, traceState, name, kind, startMs, endMs, attributes: this.attrs });
  }

  attr(key: string, value: AttrValue | null | undefined): void {
    this.attrs[key] = value;
  }

  event(name: string, timeMs: number): void {
    const span = this.spans[this.spans.length - 1] as SpanData;
    const event: SpanEvent & { attributes: Attributes } = { name, timeMs, attributes: {} };
    (span.events ??= []).push(event);
    this.attrs = event.attributes;
  }

  end(error?: { message?: string } | null): void {
    const span = this.spans[this.spans.length - 1] as SpanData;
    if (error) span.error = error;
  }
}

/** A source's spans as SpanData. */
export function collectSpans(source: SpanSource): SpanData[] {
  const c = new SpanCollector();
  source.writeSpans(c);
  return c.spans;
}
