import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeLabel, labelText } from "./series";

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
