import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeExport, type ReceivedSpan } from "./otlp-receiver";
import { encodeExport, SpanKind, type AttrValue, type SpanData } from "./span";
import { encodeExportProto } from "./span-protobuf";
import { ProtoWriter } from "./proto-writer";

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
// Any UTF-16 (lone surrogates included), long strings (lengths past one varint byte) and ASCII.
const text = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "binary", minLength: 100, maxLength: 400 }), fc.string(), fc.constantFrom("\ud800x", "é😀", ""));
const attrValue: fc.Arbitrary<AttrValue | null | undefined> = fc.oneof(
  text,
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(2 ** 60, -(2 ** 53), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, -1, 0, 1e21, null, undefined),
  fc.array(text, { maxLength: 3 }),
  fc.array(fc.oneof(fc.integer(), fc.double(), fc.maxSafeInteger()), { maxLength: 3 }),
);
const attributes = fc.dictionary(text, attrValue, { maxKeys: 6 });
const ms = fc.double({ min: 1.6e12, max: 1.9e12, noNaN: true });
const span: fc.Arbitrary<SpanData> = fc.record({
  traceId: hex(32),
  spanId: hex(16),
  parentSpanId: fc.option(hex(16)),
  traceState: fc.option(text),
  name: text,
  kind: fc.constantFrom(...Object.values(SpanKind)),
  startMs: ms,
  endMs: ms,
  attributes,
  events: fc.option(fc.array(fc.record({ name: text, timeMs: ms, attributes }), { maxLength: 2 }), { nil: undefined }),
  error: fc.option(fc.record({ message: fc.option(text, { nil: undefined }) })),
});

// What protobuf cannot carry as JSON does: strings are UTF-8 (a lone surrogate becomes U+FFFD),
// non-finite doubles are numbers (JSON spells them as strings). Times are compared apart.
const wellFormed = (s: string): string => new TextDecoder().decode(new TextEncoder().encode(s));
function normalise(v: unknown): unknown {
  if (typeof v === "string") return wellFormed(v);
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [wellFormed(k), normalise(x)]));
  return v;
}
// The time to the nanosecond, the fraction rounded as the writer does it.
const exactNanos = (ms: number): bigint => BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.min(999_999, Math.round((ms - Math.floor(ms)) * 1e6)));
const withoutTimes = (s: ReceivedSpan) => normalise({ ...s, startNs: 0, endNs: 0 });

describe("OTLP/HTTP protobuf encoding", () => {
  it("decodes (protobufjs, opentelemetry-proto's messages) to the same spans as the JSON encoding, for any spans, attributes and strings", () => {
    fc.assert(
      fc.property(fc.array(span, { maxLength: 3 }), attributes, (spans, resource) => {
        const fromProto = decodeExport(encodeExportProto({ serviceName: "svc", attributes: resource }, spans));
        const fromJson = decodeExport(encodeExport({ serviceName: "svc", attributes: resource }, spans));
        expect(fromProto.map(withoutTimes)).toEqual(fromJson.map(withoutTimes));
        fromProto.forEach((s, i) => {
          const sd = spans[i] as SpanData;
          expect(s.startNs).toBe(exactNanos(sd.startMs));
          expect(s.endNs).toBe(exactNanos(Math.max(sd.startMs, sd.endMs)));
          // JSON's decimal text is the double's shortest form: within a microsecond of the exact value.
          const j = fromJson[i] as ReceivedSpan;
          expect(s.startNs - j.startNs).toBeLessThan(1000n);
          expect(j.startNs - s.startNs).toBeLessThan(1000n);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("writes ids as raw bytes, ints as varints (negatives as 10-byte two's complement) and nothing for an unset status", () => {
    const body = encodeExportProto({ serviceName: "s" }, [
      { traceId: "0123456789abcdef0123456789abcdef", spanId: "00f067aa0ba902b7", name: "n", kind: SpanKind.SERVER, startMs: 1_700_000_000_123.25, endMs: 1_700_000_000_223.5, attributes: { n: -1, big: 2 ** 60, gone: Number.NaN } },
    ]);
    const [got] = decodeExport(body);
    expect(got).toMatchObject({ traceId: "0123456789abcdef0123456789abcdef", spanId: "00f067aa0ba902b7", parentSpanId: null, status: 0, startNs: 1_700_000_000_123_250_000n });
    expect(got?.attributes).toEqual({ n: -1, big: 2 ** 60 });
    const w = new ProtoWriter(4);
    w.int64(-1);
    expect([...w.take()]).toEqual([255, 255, 255, 255, 255, 255, 255, 255, 255, 1]);
  });
});
