import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fmix32, fnv1a, fnv1aStep, FNV_OFFSET } from "./fnv1a";

describe("fnv1a", () => {
  it("gives the published FNV-1a 32-bit values", () => {
    expect(fnv1a("")).toBe(0x811c9dc5);
    expect(fnv1a("a")).toBe(0xe40c292c);
    expect(fnv1a("foobar")).toBe(0xbf9cf968);
  });

  it("steps over a range as over the concatenation, always unsigned", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.nat(), (a, b, cut) => {
        const s = a + b;
        const at = Math.min(cut, s.length);
        expect(fnv1aStep(fnv1aStep(FNV_OFFSET, s, 0, at), s, at)).toBe(fnv1a(s));
        expect(fnv1aStep(FNV_OFFSET, `x${s}y`, 1, s.length + 1)).toBe(fnv1a(s));
        expect(fnv1a(s)).toBeGreaterThanOrEqual(0);
        expect(fmix32(fnv1a(s))).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("finalises with murmur3's fmix32", () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
  });
});
