import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exportObject } from "../../test/harness/otlp-objects";
import { encodeExport, SpanKind, type AttrValue, type SpanData } from "./span";

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
const attrValue: fc.Arbitrary<AttrValue | null | undefined> = fc.oneof(
  fc.string(),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(2 ** 60, -(2 ** 53), 1e21, null, undefined),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.array(fc.oneof(fc.integer(), fc.double()), { maxLength: 3 }),
);
const attributes = fc.dictionary(fc.string(), attrValue, { maxKeys: 5 });
const span: fc.Arbitrary<SpanData> = fc.record({
  traceId: hex(32),
  spanId: hex(16),
  parentSpanId: fc.option(hex(16)),
  traceState: fc.option(fc.string()),
  name: fc.string(),
  kind: fc.constantFrom(...Object.values(SpanKind)),
  startMs: fc.double({ min: 1.6e12, max: 1.9e12, noNaN: true }),
  endMs: fc.double({ min: 1.6e12, max: 1.9e12, noNaN: true }),
  attributes,
  events: fc.option(fc.array(fc.record({ name: fc.string(), timeMs: fc.double({ min: 1.6e12, max: 1.9e12, noNaN: true }), attributes }), { maxLength: 2 }), { nil: undefined }),
  error: fc.option(fc.record({ message: fc.option(fc.string(), { nil: undefined }) })),
});

describe("OTLP/HTTP JSON encoding", () => {
  it("is valid JSON equal to the OTLP mapping for any spans, attributes and strings", () => {
    fc.assert(
      fc.property(fc.array(span, { maxLength: 3 }), attributes, (spans, resource) => {
        const body = JSON.parse(encodeExport({ serviceName: "svc", attributes: resource }, spans)) as unknown;
        expect(body).toEqual(exportObject({ serviceName: "svc", attributes: resource }, spans));
      }),
      { numRuns: 300 },
    );
  });

  it("writes int64 as decimal strings and non-finite doubles inside arrays in proto3 JSON's string form", () => {
    const body = encodeExport({ serviceName: "s" }, [
      { traceId: "a".repeat(32), spanId: "b".repeat(16), name: "n", kind: SpanKind.INTERNAL, startMs: 1, endMs: 2, attributes: { n: 42, big: 2 ** 60, x: [1.5, Number.NaN, -Infinity], gone: Number.NaN } },
    ]);
    expect(body).toContain(`{"key":"n","value":{"intValue":"42"}}`);
    expect(body).toContain(`{"key":"big","value":{"doubleValue":1152921504606847000}}`);
    expect(body).toContain(`{"arrayValue":{"values":[{"doubleValue":1.5},{"doubleValue":"NaN"},{"doubleValue":"-Infinity"}]}}`);
    expect(body).not.toContain(`"gone"`);
  });
});
