import { describe, expect, it } from "vitest";
import { hardFailure, piiLeaks, runChecks } from "./checks";

const schemaFormat = { type: "json_schema", json_schema: { name: "x", schema: { type: "object", properties: { n: { type: "integer" } }, required: ["n"], additionalProperties: false } } };

describe("deterministic checks", () => {
  it.each([
    ["Contact <EMAIL_ADDRESS_1> or <PHONE_NUMBER_2>.", []],
    ["Write to jane@example.com", ["email"]],
    ["Call +1 (415) 555-0134 today", ["phone"]],
    ["Card 4111 1111 1111 1111 on file", ["card"]],
    ["Order 1234 5678 9012 3456 shipped", []], // fails Luhn: an order number, not a card
    ["Meeting on 2026-11-27 10:00 in room 4", []],
  ])("PII leakage in %j -> %j", (text, kinds) => {
    expect(piiLeaks(text)).toEqual(kinds);
  });

  it("validates JSON Schema response formats", () => {
    expect(runChecks('{"n": 3}', schemaFormat).schemaValid).toBe(true);
    const bad = runChecks('{"n": "three"}', schemaFormat);
    expect(bad.schemaValid).toBe(false);
    expect(bad.schemaErrors.length).toBeGreaterThan(0);
    expect(runChecks("not json", schemaFormat).schemaErrors).toEqual(["response is not JSON"]);
    expect(runChecks("free text", undefined).schemaValid).toBeNull();
  });

  it("never throws on a client's schema, and does not run its regexes (catastrophic backtracking)", () => {
    const danglingRef = { type: "json_schema", json_schema: { name: "x", schema: { $ref: "#/$defs/missing" } } };
    const r = runChecks('{"s": "ABC"}', danglingRef);
    expect(r.schemaValid).toBeNull();
    expect(r.schemaErrors[0]).toMatch(/^schema could not be checked/);
    // PCRE-only syntax and a pattern that backtracks for ages: regex keywords are not evaluated,
    // the rest of the schema still is.
    const risky = (pattern: string) => ({ type: "json_schema", json_schema: { name: "x", schema: { type: "object", properties: { s: { type: "string", pattern } }, required: ["s"] } } });
    expect(runChecks('{"s": "ABC"}', risky("(?i)abc")).schemaValid).toBe(true);
    expect(runChecks(JSON.stringify({ s: `${"a".repeat(40)}!` }), risky("^(a+)+$")).schemaValid).toBe(true);
    expect(runChecks("{}", risky("^(a+)+$")).schemaValid).toBe(false);
  });

  it("flags empty, truncated and refusing answers", () => {
    expect(runChecks("   ", undefined).empty).toBe(true);
    expect(runChecks("```ts\nconst x =", undefined).truncated).toBe(true);
    expect(runChecks("Fine answer.", undefined, "length").truncated).toBe(true);
    expect(runChecks("I'm sorry, I can't help with that.", undefined).refusal).toBe(true);
    expect(hardFailure(runChecks("Fine answer.", undefined))).toBe(false);
  });
});
