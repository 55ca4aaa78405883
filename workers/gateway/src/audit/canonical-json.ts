/**
 * Canonical JSON for hashing: object keys sorted recursively, no whitespace, numbers and
 * strings as JSON.stringify writes them (the same rules as RFC 8785 for the values we store:
 * strings, integers, null, plain objects and arrays). Two equal rows always hash equally.
 */
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as Json)}`).join(",")}}`;
}
