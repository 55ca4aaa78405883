import { describe, expect, it } from "vitest";
import { checkAgainstSchema, withoutRegexKeywords } from "./json-schema-checks";

describe("client JSON Schema checks", () => {
  it("drops regex keywords at any depth and keeps the rest", () => {
    const schema = { type: "object", patternProperties: { "^x": { type: "string" } }, properties: { a: { type: "array", items: [{ type: "string", pattern: "(a+)+", minLength: 2 }] } } };
    expect(withoutRegexKeywords(schema)).toEqual({ type: "object", properties: { a: { type: "array", items: [{ type: "string", minLength: 2 }] } } });
  });

  it("keeps a property named like a regex keyword, and data that looks like one", () => {
    const schema = { type: "object", properties: { pattern: { type: "string" } }, required: ["pattern"], enum: [{ pattern: "x" }] };
    expect(withoutRegexKeywords(schema)).toEqual(schema);
    expect(checkAgainstSchema(schema, { pattern: "x" }).valid).toBe(true);
    expect(checkAgainstSchema(schema, { pattern: 1 }).valid).toBe(false);
  });

  it("reports, never throws, and still checks structure", () => {
    expect(checkAgainstSchema({ $ref: "#/nope" }, {}).valid).toBeNull();
    expect(checkAgainstSchema({ type: "object", required: ["n"] }, {}).valid).toBe(false);
    expect(checkAgainstSchema({ type: "object", properties: { s: { type: "string", pattern: "^(a+)+$" } } }, { s: `${"a".repeat(40)}!` }).valid).toBe(true);
  });
});
