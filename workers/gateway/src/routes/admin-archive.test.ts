/**
 * GET /admin/v1/tenants/{id}/archive/{table}/{day}: an archived day of a tenant read back from
 * R2 (Miniflare's R2 here, as under wrangler) through the admin stack.
 */
import fc from "fast-check";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunkKey } from "../../../../shared/archive/layout";
import { encodeRows } from "../../../../shared/archive/ndjson-gzip";
import { seedTenant } from "../auth/seed-tenant";
import { adminFixture } from "./admin/testing";

let mf: Miniflare;
let bucket: R2Bucket;
const DAY = Date.parse("2026-10-01T00:00:00Z");
const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ request_id: `r${from + i}`, tenant_id: "ten_a", completed_at: DAY + (from + i) * 1000, cost_usd: 0.001 }));

beforeAll(async () => {
  mf = new Miniflare({ modules: true, script: "export default { fetch() { return new Response('ok'); } }", compatibilityDate: "2026-04-01", r2Buckets: ["ARCHIVE"] });
  bucket = (await mf.getR2Bucket("ARCHIVE")) as unknown as R2Bucket;
  // Two chunks of one day, written out of order: the read follows the names (= time order).
  for (const chunk of [rows(3, 2), rows(0, 3)]) await bucket.put(chunkKey("usage_ledger", "ten_a", chunk[0]!.completed_at, chunk[0]!.request_id), await encodeRows(chunk));
});
afterAll(async () => mf.dispose());

async function fixture(withBucket = true) {
  const f = await adminFixture();
  if (withBucket) (f.env as Record<string, unknown>).ARCHIVE = bucket;
  await f.db.prepare("INSERT INTO tenants (id, name, created_at) VALUES ('ten_a', 'a', 0)").run();
  const admin = await seedTenant(f.db, { name: "a", tenantId: "ten_a", role: "admin" });
  return { ...f, admin };
}

describe("GET /admin/v1/tenants/{id}/archive/{table}/{day}", () => {
  it("streams the archived day's rows as NDJSON, in time order", async () => {
    const f = await fixture();
    const res = await f.call("GET", "/admin/v1/tenants/ten_a/archive/usage_ledger/2026-10-01", f.admin.key);
    expect(res.status).toBe(200);
    const lines = String(res.json).trim().split("\n").map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual(rows(0, 5));
    const empty = await f.call("GET", "/admin/v1/tenants/ten_a/archive/evaluations/2026-10-01", f.admin.key);
    expect([empty.status, empty.json]).toEqual([200, ""]);
  });

  it("answers a bad table or day with a 400 naming it, another tenant with a 404, no bucket with a 503", async () => {
    const f = await fixture();
    const bad = await f.call("GET", "/admin/v1/tenants/ten_a/archive/api_keys/2026-10-01", f.admin.key);
    expect([bad.status, bad.json.error?.param]).toEqual([400, "table"]);
    const badDay = await f.call("GET", "/admin/v1/tenants/ten_a/archive/usage_ledger/2026-13-45", f.admin.key);
    expect([badDay.status, badDay.json.error?.param]).toEqual([400, "day"]);
    const other = await seedTenant(f.db, { name: "b", role: "admin" });
    expect((await f.call("GET", "/admin/v1/tenants/ten_a/archive/usage_ledger/2026-10-01", other.key)).status).toBe(404);
    expect((await f.call("GET", "/admin/v1/tenants/ten_a/archive/usage_ledger/2026-10-01", f.op.key)).status).toBe(200);
    const unbound = await fixture(false);
    expect((await unbound.call("GET", "/admin/v1/tenants/ten_a/archive/usage_ledger/2026-10-01", unbound.admin.key)).status).toBe(503);
  });

  it("never answers a 5xx, whatever the path segments hold", async () => {
    const f = await fixture();
    const segment = fc.oneof(fc.constantFrom("usage_ledger", "request_traces", "2026-10-01", "0000-00-00", "..", "%2F", "%00"), fc.string({ maxLength: 24 }).map(encodeURIComponent));
    await fc.assert(
      fc.asyncProperty(segment, segment, async (table, day) => {
        const res = await f.call("GET", `/admin/v1/tenants/ten_a/archive/${table}/${day}`, f.admin.key);
        expect(res.status, `${table}/${day}`).toBeLessThan(500);
      }),
      { numRuns: 80 },
    );
  });
});
