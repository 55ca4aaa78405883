import { describe, expect, it } from "vitest";
import { checkAgainstSchema, withoutRegexKeywords } from "./json-schema-checks";

describe("client JSON Schema checks", () => {
  it("drops regex keywords at any depth and keeps the rest", () => {
    const schema = { type: "object", patternProperties: { "^x": { type: "string" } }, properties: { a: { type: "array", items: [{ type: "string", pattern: "(a+)+", minLength: 2 }] } } };
    expect(withoutRegexKeywords(schema)).toEqual({ type: "object", properties: { a: { type: "array", items: [{ type: "string", minLength: 2 }] } } });
  });

  it("reports, never throws, and still checks structure", () => {
    expect(checkAgainstSchema({ $ref: "#/nope" }, {}).valid).toBeNull();
    expect(checkAgainstSchema({ type: "object", required: ["n"] }, {}).valid).toBe(false);
    expect(checkAgainstSchema({ type: "object", properties: { s: { type: "string", pattern: "^(a+)+$" } } }, { s: `${"a".repeat(40)}!` }).valid).toBe(true);
  });
});
