/**
 * Canonical JSON for hashing, the one implementation (audit chain links, cache keys): object
 * keys sorted by UTF-16 code units (RFC 8785's order; also for integer-like keys, which
 * JSON.stringify would put first), no whitespace, strings and numbers as JSON.stringify writes
 * them. Members whose value JSON cannot hold (undefined, functions) are left out as
 * JSON.stringify leaves them out, and are null inside arrays. Two equal values always hash equally.
 */
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export interface CanonicalOptions {
  /** Leave out null members too (cache keys: OpenAI treats an explicit null like an absent field). Nulls in arrays stay. */
  dropNull?: boolean;
}

const absent = (v: unknown): boolean => v === undefined || typeof v === "function" || typeof v === "symbol";

export function canonicalJson(value: unknown, opts: CanonicalOptions = {}): string {
  if (value === null || typeof value !== "object") return absent(value) ? "null" : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, opts)).join(",")}]`;
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    if (absent(v) || (v === null && opts.dropNull)) continue;
    members.push(`${JSON.stringify(key)}:${canonicalJson(v, opts)}`);
  }
  return `{${members.join(",")}}`;
}
