/**
 * Generates a value that validates against a (simple) JSON Schema: type, enum/const,
 * properties/required, items/minItems/maxItems, minimum/maximum, minLength/maxLength, anyOf/oneOf.
 * Used for tool-call arguments and `response_format: json_schema` answers. Unknown keywords are
 * ignored; `$ref` is not followed (yields null), which is enough for a simulator.
 */
import type { Rng } from "./hash";
import { intBetween, pick } from "./hash";
import { synthPhrase } from "./synth-text";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
type Schema = Record<string, unknown>;

const MAX_DEPTH = 8;

const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

function schemaType(schema: Schema): string | undefined {
  const t = schema.type;
  if (typeof t === "string") return t;
  // A type list such as ["string", "null"]: prefer the first non-null member.
  if (Array.isArray(t)) return (t.find((x) => x !== "null") ?? t[0]) as string | undefined;
  if (isSchema(schema.properties)) return "object";
  if (schema.items !== undefined) return "array";
  return undefined;
}

function genNumber(rng: Rng, schema: Schema, integer: boolean): number {
  let min = num(schema.minimum) ?? (num(schema.exclusiveMinimum) !== undefined ? num(schema.exclusiveMinimum)! + 1 : 0);
  let max = num(schema.maximum) ?? (num(schema.exclusiveMaximum) !== undefined ? num(schema.exclusiveMaximum)! - 1 : min + 100);
  if (max < min) max = min;
  if (integer) {
    min = Math.ceil(min);
    max = Math.floor(max);
    return max < min ? min : intBetween(rng, min, max);
  }
  return Math.round((min + rng() * (max - min)) * 100) / 100;
}

function genString(rng: Rng, schema: Schema): string {
  if (schema.format === "date-time") return "2024-01-01T00:00:00Z";
  if (schema.format === "date") return "2024-01-01";
  if (schema.format === "email") return "user@example.com";
  if (schema.format === "uri" || schema.format === "url") return "https://example.com/";
  const minLength = num(schema.minLength) ?? 0;
  const maxLength = num(schema.maxLength) ?? Infinity;
  let s = synthPhrase(rng, intBetween(rng, 1, 3));
  while (s.length < minLength) s += ` ${synthPhrase(rng, 1)}`;
  return s.length > maxLength ? s.slice(0, maxLength) : s;
}

function genObject(rng: Rng, schema: Schema, depth: number): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  const props = isSchema(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === "string") : []);
  // Every declared property is emitted: always valid, and richer than required-only.
  for (const [key, sub] of Object.entries(props)) out[key] = jsonFromSchema(sub, rng, depth + 1);
  for (const key of required) if (!(key in out)) out[key] = synthPhrase(rng, 1);
  return out;
}

function genArray(rng: Rng, schema: Schema, depth: number): JsonValue[] {
  const minItems = num(schema.minItems) ?? 1;
  const maxItems = Math.max(minItems, num(schema.maxItems) ?? Math.max(minItems, 3));
  const count = intBetween(rng, minItems, Math.min(maxItems, minItems + 2));
  const items: JsonValue[] = [];
  for (let i = 0; i < count; i++) items.push(jsonFromSchema(schema.items, rng, depth + 1));
  return items;
}

export function jsonFromSchema(schema: unknown, rng: Rng, depth = 0): JsonValue {
  if (!isSchema(schema) || depth > MAX_DEPTH) return null;
  if ("const" in schema) return (schema.const ?? null) as JsonValue;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return pick(rng, schema.enum) as JsonValue;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives) && alternatives.length > 0) return jsonFromSchema(alternatives[0], rng, depth + 1);
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    return jsonFromSchema(Object.assign({}, ...schema.allOf.filter(isSchema)) as Schema, rng, depth + 1);
  }
  switch (schemaType(schema)) {
    case "object":
      return genObject(rng, schema, depth);
    case "array":
      return genArray(rng, schema, depth);
    case "string":
      return genString(rng, schema);
    case "integer":
      return genNumber(rng, schema, true);
    case "number":
      return genNumber(rng, schema, false);
    case "boolean":
      return rng() < 0.5;
    case "null":
      return null;
    default:
      return schema.type === undefined && Object.keys(schema).length === 0 ? synthPhrase(rng, 2) : null;
  }
}
