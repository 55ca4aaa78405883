import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mapSpan, normalizeForDetection, toWellFormed } from "./normalize";

describe("normalizeForDetection", () => {
  it.each([
    ["jo\u200Bhn", "john"],
    ["ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ", "john@example.com"],
    ["раypal", "paypal"], // Cyrillic р and а inside a Latin word
    ["привет мир", "привет мир"], // genuine Cyrillic stays
    ["𝐢𝐠𝐧𝐨𝐫𝐞", "ignore"], // mathematical bold
  ])("normalizes %j", (input, want) => expect(normalizeForDetection(input).text).toBe(want));

  it("maps spans back across removed invisible characters", () => {
    const input = "mail: j\u200Bo\u200Bhn@x.io!";
    const norm = normalizeForDetection(input);
    const s = norm.text.indexOf("john");
    const [a, b] = mapSpan(norm, s, s + "john@x.io".length);
    expect(input.slice(a, b)).toBe("j\u200Bo\u200Bhn@x.io");
  });

  it("replaces lone surrogates without shifting offsets", () => {
    expect(toWellFormed("a\uD800b\uDC00c")).toBe("a\uFFFDb\uFFFDc");
    expect(normalizeForDetection("a\uD800b").text).toBe("a\uFFFDb");
  });

  it("keeps every mapped offset inside the original (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (s) => {
        const n = normalizeForDetection(s);
        expect(n.map.length).toBe(n.text.length + 1);
        for (let i = 0; i < n.text.length; i++) {
          const [a, b] = mapSpan(n, i, i + 1);
          expect(a).toBeGreaterThanOrEqual(0);
          expect(b).toBeLessThanOrEqual(s.length);
          expect(b).toBeGreaterThan(a);
        }
      }),
    );
  });
});
