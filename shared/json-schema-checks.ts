/**
 * Client-supplied JSON Schemas (response_format) are checked against model answers by the
 * cascade's draft verification and the evaluator's format check. Two hazards of a schema the
 * client controls: a `pattern` that backtracks catastrophically (`^(a+)+$` against 29 characters
 * took 10 s), and a schema the validator cannot compile (a PCRE-only pattern, a dangling $ref).
 * Regex keywords are dropped before validation (the structure is still checked); a schema that
 * still cannot be compiled is reported, never thrown.
 */
import { Validator, type Schema } from "@cfworker/json-schema";

const REGEX_KEYWORDS = new Set(["pattern", "patternProperties"]);
/** Keywords whose value is data, not a schema: copied as they are. */
const DATA_KEYWORDS = new Set(["const", "enum", "default", "examples", "required"]);
/** Keywords whose value maps names (which may be any word, "pattern" included) to schemas. */
const SCHEMA_MAPS = new Set(["properties", "$defs", "definitions", "dependentSchemas"]);

/** A copy of the schema without regex keywords (`pattern`, `patternProperties`), at any depth. */
export function withoutRegexKeywords(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutRegexKeywords);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (REGEX_KEYWORDS.has(k)) continue;
    if (DATA_KEYWORDS.has(k)) out[k] = v;
    else if (SCHEMA_MAPS.has(k) && v !== null && typeof v === "object" && !Array.isArray(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, withoutRegexKeywords(sub)]));
    } else out[k] = withoutRegexKeywords(v);
  }
  return out;
}

export type SchemaCheck = { valid: boolean; errors: string[] } | { valid: null; errors: string[] };

/** Validates a value against a client's schema, regex keywords aside; never throws. */
export function checkAgainstSchema(schema: unknown, value: unknown): SchemaCheck {
  try {
    const result = new Validator(withoutRegexKeywords(schema) as Schema, "2020-12", false).validate(value);
    return { valid: result.valid, errors: result.errors.slice(0, 5).map((e) => `${e.instanceLocation}: ${e.error}`) };
  } catch (err) {
    return { valid: null, errors: [`schema could not be checked: ${String(err instanceof Error ? err.message : err).slice(0, 200)}`] };
  }
}
