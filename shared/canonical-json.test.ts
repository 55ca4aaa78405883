import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json";

/** JSON values without integer-like keys, where JSON.stringify's own key order does not interfere. */
const value = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).map(([k, y]) => [`k${k}`, y])) : x))) as unknown);

function sortDeep(v: unknown, dropNull: boolean): unknown {
  if (Array.isArray(v)) return v.map((x) => sortDeep(x, dropNull));
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (!(dropNull && x === null)) out[k] = sortDeep(x, dropNull);
  }
  return out;
}

describe("canonicalJson", () => {
  it("sorts keys at every depth, keeps or drops null members, keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: [2, null, 1] } })).toBe('{"a":{"c":[2,null,1],"d":null},"b":1}');
    expect(canonicalJson({ b: 1, a: { d: null, c: [2, null, 1] } }, { dropNull: true })).toBe('{"a":{"c":[2,null,1]},"b":1}');
  });

  it("orders integer-like keys as strings and leaves out what JSON cannot hold", () => {
    expect(canonicalJson({ 10: "x", 9: "y", a: undefined, f: () => 1 })).toBe('{"10":"x","9":"y"}');
    expect(canonicalJson([undefined, 1])).toBe("[null,1]");
  });

  it("is JSON.stringify of the key-sorted value, and parses back to an equal value", () => {
    fc.assert(
      fc.property(value, fc.boolean(), (v, dropNull) => {
        const text = canonicalJson(v, { dropNull });
        expect(text).toBe(JSON.stringify(sortDeep(v, dropNull)));
        expect(JSON.parse(text)).toEqual(sortDeep(v, dropNull));
      }),
    );
  });
});
