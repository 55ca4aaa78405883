import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeLabel, labelText, SeriesAccumulator, seriesKey, TTFT_BUCKETS } from "./series";

/** The three replaces escapeLabel skips when nothing needs escaping. */
const reference = (v: string): string => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

describe("label escaping", () => {
  it("escapes backslash, double quote and newline as the Prometheus text format requires", () => {
    expect(escapeLabel('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(labelText({ route: "/v1/chat/completions", model: 'odd"name' })).toBe('route="/v1/chat/completions",model="odd\\"name"');
  });

  it("returns plain values unchanged and matches the full escape on any string", () => {
    expect(escapeLabel("small-sim")).toBe("small-sim");
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom("a", "\\", '"', "\n", "é", " ") }), (v) => escapeLabel(v) === reference(v)));
    fc.assert(fc.property(fc.string(), (v) => escapeLabel(v) === reference(v)));
  });
});

describe("SeriesAccumulator", () => {
  /** What inc and observe wrote before their keys were cached: built from the labels every time. */
  function reference(ops: Op[]): Record<string, number> {
    const out: Record<string, number> = {};
    const add = (k: string, by: number) => (out[k] = (out[k] ?? 0) + by);
    for (const op of ops) {
      const l = labelText(op.labels);
      if (op.kind === "inc") add(seriesKey(op.name, l), op.by);
      else {
        const b = TTFT_BUCKETS.find((x) => op.seconds <= x);
        add(seriesKey(`${op.name}_bucket`, l, b === undefined ? "+Inf" : String(b)), 1);
        add(seriesKey(`${op.name}_sum`, l), op.seconds);
        add(seriesKey(`${op.name}_count`, l), 1);
      }
    }
    return out;
  }
  type Op = { kind: "inc"; name: string; labels: Record<string, string>; by: number } | { kind: "observe"; name: string; labels: Record<string, string>; seconds: number };
  const value = fc.constantFrom("a", "b", "", 'q"', "\u0001", "small-sim");
  const labels = fc.oneof(fc.record({ model: value, tier: value }), fc.record({ tier: value, model: value }), fc.record({ model: value }), fc.constant({}));
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant("inc" as const), name: fc.constantFrom("x_total", "y_total"), labels, by: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant("observe" as const), name: fc.constantFrom("d_seconds", "x_total"), labels, seconds: fc.oneof(fc.double({ min: 0, max: 3000, noNaN: true }), fc.constantFrom(0.001, 2560, 2561)) }),
  );

  it("labels a bucket by the bounds it was observed with, also when a family's bounds change, and after a drain", () => {
    const acc = new SeriesAccumulator();
    acc.observe("x_seconds", { t: "a" }, 0.3, [0.1, 0.5]);
    acc.observe("x_seconds", { t: "a" }, 0.3, [0.25, 1]);
    expect(Object.keys(acc.drain()).filter((k) => k.includes("_bucket")).sort()).toEqual([
      seriesKey("x_seconds_bucket", labelText({ t: "a" }), "0.5"),
      seriesKey("x_seconds_bucket", labelText({ t: "a" }), "1"),
    ].sort());
    acc.observe("x_seconds", { t: "a" }, 2, [0.25, 1]);
    expect(Object.keys(acc.drain())).toContain(seriesKey("x_seconds_bucket", labelText({ t: "a" }), "+Inf"));
  });

  it("writes the same series as keys built from the labels on every call, whatever the label order or values", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const acc = new SeriesAccumulator();
        for (const o of ops) o.kind === "inc" ? acc.inc(o.name, o.labels, o.by) : acc.observe(o.name, o.labels, o.seconds, TTFT_BUCKETS);
        expect(acc.drain()).toEqual(reference(ops));
      }),
    );
  });
});
