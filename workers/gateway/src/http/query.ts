/** Query-string parsing through a zod schema (repeated keys become arrays). */
import type { z } from "zod";
import { parseWith } from "./read-json-body";

export function parseQuery<S extends z.ZodType>(url: string, schema: S, aliases: Record<string, string> = {}): z.infer<S> {
  const out: Record<string, string | string[]> = {};
  for (const [rawKey, value] of new URL(url).searchParams) {
    const key = aliases[rawKey] ?? rawKey;
    const prev = out[key];
    out[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return parseWith(schema, out);
}
