import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { PiiVault } from "./vault";

describe("PiiVault", () => {
  it("never serializes its originals", () => {
    const v = new PiiVault();
    v.placeholderFor("EMAIL_ADDRESS", "jane@example.com");
    const logged = [JSON.stringify({ ctx: { vault: v } }), String(v), inspect(v), JSON.stringify({ ...v })];
    for (const s of logged) expect(s).not.toContain("jane@example.com");
    expect(JSON.stringify(v)).toBe('{"entries":1}');
  });

  it("numbers placeholders per type and reuses them per value", () => {
    const v = new PiiVault();
    expect(v.placeholderFor("PERSON", "A")).toBe("<PERSON_1>");
    expect(v.placeholderFor("PERSON", "B")).toBe("<PERSON_2>");
    expect(v.placeholderFor("PERSON", "A")).toBe("<PERSON_1>");
    expect(v.placeholderFor("EMAIL_ADDRESS", "A")).toBe("<EMAIL_ADDRESS_1>");
  });
});
