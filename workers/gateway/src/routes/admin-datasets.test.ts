/**
 * GET /admin/v1/datasets/fine-tuning through the admin stack (auth, route policy, handler):
 * whatever the query, a clear 4xx or an NDJSON 200, never a 5xx; each export is audited;
 * restricted keys and keys without content:read are refused.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateKeySpec } from "../../../../shared/crypto/envelope";
import { seedTenant } from "../auth/seed-tenant";
import { adminFixture } from "./admin/testing";

const PATH = "/admin/v1/datasets/fine-tuning";
const auditRows = async (f: { db: D1Database }) => (await f.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE target = 'fine-tuning'").first<number>("n")) ?? 0;

async function fixture() {
  const f = await adminFixture();
  (f.env as Record<string, unknown>).CONTENT_ENCRYPTION_KEYS = generateKeySpec("k1");
  // An operator that may read content (the fixture's own operator may not).
  const reader = await seedTenant(f.db, { name: "operator", tenantId: "ten_ops", role: "admin", scopes: ["tenants:manage", "content:read"] });
  return { ...f, reader };
}

describe("GET /admin/v1/datasets/fine-tuning", () => {
  it("answers a query it cannot use with a 4xx naming the parameter, and a good one with audited NDJSON", async () => {
    const f = await fixture();
    const value = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("0", "-1", "2026-11-26T12:00:00Z", "1e309", "true", "5.5", "NaN"));
    const query = fc.dictionary(fc.constantFrom("since", "tenantId", "threshold", "teacherMinScore", "limit", "meta", "other"), value, { maxKeys: 5 });
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const before = await auditRows(f);
        const res = await f.call("GET", `${PATH}?${new URLSearchParams(q).toString()}`, f.reader.key);
        expect(res.status, JSON.stringify(res.json)).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.json.error?.code).toBe("invalid_request");
          expect(await auditRows(f)).toBe(before);
        } else expect(await auditRows(f)).toBe(before + 1);
      }),
      { numRuns: 60 },
    );
    const ok = await f.call("GET", `${PATH}?since=0&meta=true`, f.reader.key);
    expect(ok.status).toBe(200);
    expect(ok.json).toBe(""); // an empty database exports nothing
  });

  it("refuses admin keys without content:read, and keys restricted to some features", async () => {
    const f = await fixture();
    const plain = await seedTenant(f.db, { name: "acme", role: "admin" });
    expect((await f.call("GET", `${PATH}?since=0`, plain.key)).status).toBe(403);
    const restricted = await seedTenant(f.db, { name: "acme", tenantId: plain.tenantId, role: "admin", scopes: ["content:read"], features: ["search"] });
    expect((await f.call("GET", `${PATH}?since=0`, restricted.key)).status).toBe(403);
    const reader = await seedTenant(f.db, { name: "acme", tenantId: plain.tenantId, role: "admin", scopes: ["content:read"] });
    expect((await f.call("GET", `${PATH}?since=0`, reader.key)).status).toBe(200);
  });
});
