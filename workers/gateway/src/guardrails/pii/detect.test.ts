import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { detectPii } from "./detect";

const types = (text: string): string[] => detectPii(text).map((f) => `${f.type}:${f.text}`);

describe("detectPii", () => {
  it("reports entities with original offsets and text", () => {
    const text = "Jane Doe's SSN 521-44-9382 and card 4539 1488 0343 6467.";
    const found = detectPii(text);
    expect(found.map((f) => f.type)).toEqual(["PERSON", "US_SSN", "CREDIT_CARD"]);
    for (const f of found) expect(text.slice(f.start, f.end)).toBe(f.text);
  });

  it("resolves overlaps: an email beats the URL-like domain inside it", () => {
    expect(types("write to ops@example.com")).toEqual(["EMAIL_ADDRESS:ops@example.com"]);
  });

  it("filters by entity type", () => {
    expect(detectPii("Jane Doe, jane@x.io", { entities: ["EMAIL_ADDRESS"] }).map((f) => f.type)).toEqual(["EMAIL_ADDRESS"]);
  });

  it.each([
    ["zero-width inside an email", "mail j\u200Bane@exa\u200Bmple.com", "EMAIL_ADDRESS"],
    ["full-width digits in an SSN", "SSN ５２１-４４-９３８２", "US_SSN"],
    ["base64-encoded email", "note: amFuZUBleGFtcGxlLmNvbQ==", "EMAIL_ADDRESS"],
    ["homoglyph name", "contact Micһael Tran", "PERSON"],
  ])("sees through smuggling: %s", (_, text, type) => {
    const f = detectPii(text).find((x) => x.type === type);
    expect(f).toBeDefined();
    expect(text.slice(f?.start, f?.end)).toBe(f?.text);
  });

  it("handles a huge text in bounded windows and still finds PII at the end", () => {
    const text = `${"lorem ipsum dolor sit amet ".repeat(20_000)} reach me at jane@example.com`;
    const found = detectPii(text);
    expect(found.some((f) => f.type === "EMAIL_ADDRESS" && f.text === "jane@example.com")).toBe(true);
  });

  it("survives lone surrogates", () => {
    expect(types("\uD800jane@example.com\uDC00")).toEqual(["EMAIL_ADDRESS:jane@example.com"]);
  });

  it("never returns overlapping or out-of-range findings (property)", () => {
    const piece = fc.constantFrom("Jane Doe ", "jane@x.io ", "4539 1488 0343 6467 ", "SSN 521-44-9382 ", "\u200B", "𝐚", "\uD800", "hello ", "+1 415 555 0132 ");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const text = parts.join("");
        const found = detectPii(text);
        for (let i = 0; i < found.length; i++) {
          const f = found[i]!;
          expect(f.start).toBeGreaterThanOrEqual(0);
          expect(f.end).toBeLessThanOrEqual(text.length);
          expect(text.slice(f.start, f.end)).toBe(f.text);
          if (i > 0) expect(f.start).toBeGreaterThanOrEqual(found[i - 1]!.end);
        }
      }),
      { numRuns: 60 },
    );
  });
});
