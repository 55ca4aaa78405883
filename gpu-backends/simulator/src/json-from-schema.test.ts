import { Validator } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import { seededRng } from "./hash";
import { jsonFromSchema } from "./json-from-schema";

const schemas: Record<string, Record<string, unknown>> = {
  weather: {
    type: "object",
    properties: {
      city: { type: "string", minLength: 3, maxLength: 40 },
      unit: { type: "string", enum: ["celsius", "fahrenheit"] },
      days: { type: "integer", minimum: 1, maximum: 7 },
      detailed: { type: "boolean" },
    },
    required: ["city", "unit"],
    additionalProperties: false,
  },
  nested: {
    type: "object",
    properties: {
      score: { type: "number", minimum: 0.5, maximum: 0.75 },
      tags: { type: "array", items: { type: "string" }, minItems: 2, maxItems: 4 },
      owner: { type: "object", properties: { id: { type: "integer", exclusiveMinimum: 10 } }, required: ["id"] },
      kind: { const: "report" },
      maybe: { type: ["string", "null"] },
      choice: { anyOf: [{ type: "integer", minimum: 3, maximum: 3 }, { type: "string" }] },
    },
    required: ["score", "tags", "owner", "kind"],
  },
};

describe("jsonFromSchema", () => {
  for (const [name, schema] of Object.entries(schemas)) {
    it(`produces values valid against the ${name} schema for many seeds`, () => {
      const validator = new Validator(schema, "2020-12");
      for (let seed = 1; seed <= 50; seed++) {
        const value = jsonFromSchema(schema, seededRng(seed));
        const result = validator.validate(value);
        expect(result.errors, JSON.stringify(value)).toEqual([]);
      }
    });
  }

  it("is deterministic for a seed and varies across seeds", () => {
    const a = JSON.stringify(jsonFromSchema(schemas.weather, seededRng(7)));
    expect(JSON.stringify(jsonFromSchema(schemas.weather, seededRng(7)))).toBe(a);
    const others = new Set(Array.from({ length: 10 }, (_, i) => JSON.stringify(jsonFromSchema(schemas.weather, seededRng(100 + i)))));
    expect(others.size).toBeGreaterThan(1);
  });
});
