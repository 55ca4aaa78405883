/**
 * Metadata filters: `{ "year": 2021, "lang": { "$in": ["en", "de"] }, "draft": { "$ne": true } }`.
 * Keys are top-level metadata fields; values are compared as JSON scalars. Compiled to SQL over
 * the chunk's metadata (json_extract with bound parameters only) and also checkable in memory.
 */
import { z } from "zod";

const Scalar = z.union([z.string().max(512), z.number().finite(), z.boolean()]);
const Condition = z.union([
  Scalar,
  z.object({ $eq: Scalar }).strict(),
  z.object({ $ne: Scalar }).strict(),
  z.object({ $in: z.array(Scalar).min(1).max(50) }).strict(),
]);
const FiltersShape = z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "filter keys are metadata field names: letters, digits, _ and -"), Condition);
// The type comes from the shape, not the refined schema: the refinement calls filtersSql, whose parameter is this type.
export type MetadataFilters = z.infer<typeof FiltersShape>;
// D1 binds at most 100 parameters a statement; the search query needs a few of its own.
export const MetadataFiltersSchema = FiltersShape.refine((f) => Object.keys(f).length <= 16 && filtersSql(f, "m").params.length <= 60, "at most 16 filters and 60 compared values in all");
type ScalarValue = z.infer<typeof Scalar>;

/** SQLite's json_extract gives booleans as 0/1. */
const sqlValue = (v: ScalarValue): string | number => (typeof v === "boolean" ? (v ? 1 : 0) : v);

export function filtersSql(filters: MetadataFilters | undefined, column: string): { sql: string; params: Array<string | number> } {
  const parts: string[] = [];
  const params: Array<string | number> = [];
  for (const [key, cond] of Object.entries(filters ?? {})) {
    const path = `$."${key}"`;
    const field = `json_extract(${column}, ?)`;
    if (typeof cond !== "object") {
      parts.push(`${field} = ?`);
      params.push(path, sqlValue(cond));
    } else if ("$eq" in cond) {
      parts.push(`${field} = ?`);
      params.push(path, sqlValue(cond.$eq));
    } else if ("$ne" in cond) {
      parts.push(`(${field} IS NULL OR ${field} != ?)`);
      params.push(path, path, sqlValue(cond.$ne));
    } else {
      parts.push(`${field} IN (${cond.$in.map(() => "?").join(", ")})`);
      params.push(path, ...cond.$in.map(sqlValue));
    }
  }
  return { sql: parts.length ? parts.join(" AND ") : "1", params };
}

export function matchesFilters(metadata: Record<string, unknown>, filters: MetadataFilters | undefined): boolean {
  for (const [key, cond] of Object.entries(filters ?? {})) {
    const v = metadata[key];
    if (typeof cond !== "object") {
      if (v !== cond) return false;
    } else if ("$eq" in cond) {
      if (v !== cond.$eq) return false;
    } else if ("$ne" in cond) {
      if (v === cond.$ne) return false;
    } else if (!cond.$in.some((x) => x === v)) {
      return false;
    }
  }
  return true;
}
