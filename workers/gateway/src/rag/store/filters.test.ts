import { describe, expect, it } from "vitest";
import { createTestDb } from "../../auth/testing/sqlite-d1";
import { filtersSql, matchesFilters, MetadataFiltersSchema } from "./filters";

const rows = [
  { id: 1, meta: { lang: "en", year: 2021, draft: false } },
  { id: 2, meta: { lang: "de", year: 2022, draft: true } },
  { id: 3, meta: { lang: "en", year: 2023 } },
];

describe("metadata filters", () => {
  it("SQL and in-memory evaluation agree", async () => {
    const { db } = createTestDb();
    await db.exec("CREATE TABLE t (id INTEGER, m TEXT)");
    for (const r of rows) await db.prepare("INSERT INTO t VALUES (?, ?)").bind(r.id, JSON.stringify(r.meta)).run();
    const cases = [{}, { lang: "en" }, { year: { $in: [2021, 2023] } }, { draft: { $ne: true } }, { draft: false }, { lang: { $eq: "de" }, year: 2022 }, { lang: "fr" }];
    for (const f of cases) {
      const parsed = MetadataFiltersSchema.parse(f);
      const { sql, params } = filtersSql(parsed, "m");
      const { results } = await db.prepare(`SELECT id FROM t WHERE ${sql} ORDER BY id`).bind(...params).all<{ id: number }>();
      expect(results.map((r) => r.id), JSON.stringify(f)).toEqual(rows.filter((r) => matchesFilters(r.meta, parsed)).map((r) => r.id));
    }
  });

  it("refuses keys that are not field names, operators it does not know and too many values", () => {
    expect(MetadataFiltersSchema.safeParse({ "a.b": 1 }).success).toBe(false);
    expect(MetadataFiltersSchema.safeParse({ a: { $gt: 1 } }).success).toBe(false);
    expect(MetadataFiltersSchema.safeParse({ a: { $in: [] } }).success).toBe(false);
    expect(MetadataFiltersSchema.safeParse(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, { $in: Array.from({ length: 20 }, (_, j) => j) }]))).success).toBe(false);
  });
});
