/**
 * Tenant isolation through the data-access layers: with tenant A's id, nothing of tenant B is
 * readable or writable, neither keys (auth/repository) nor usage and traces (usage/ queries
 * over the evaluator's tables), nor budgets and limits.
 */
import { describe, expect, it } from "vitest";
import { usageEvent } from "../../../evaluator/src/testing/events";
import { listBudgets, replaceBudgetsStmts, spendSince } from "../limits/budget-repository";
import { UsageQuerySchema, queryUsage } from "../usage/query-usage";
import { getRequestTrace } from "../usage/request-trace";
import { ingest } from "../usage/test-fixtures";
import { getKey, listKeys, revokeKeyStmt } from "./repository";
import { seedTenant } from "./seed-tenant";
import { createTestDb } from "./testing/sqlite-d1";

async function twoTenants() {
  const { db } = createTestDb();
  const a = await seedTenant(db, { name: "A", role: "developer" });
  const b = await seedTenant(db, { name: "B", role: "service" });
  return { db, a, b };
}

describe("tenant isolation", () => {
  it("keys: tenant A cannot list, read or revoke tenant B's keys", async () => {
    const { db, a, b } = await twoTenants();
    expect((await listKeys(db, a.tenantId)).map((k) => k.id)).toEqual([a.keyId]);
    expect(await getKey(db, a.tenantId, b.keyId)).toBeNull();
    expect((await revokeKeyStmt(db, a.tenantId, b.keyId, 1).run()).meta.changes).toBe(0);
    expect((await getKey(db, b.tenantId, b.keyId))?.revoked_at).toBeNull();
  });

  it("budgets: replacing A's budgets leaves B's untouched", async () => {
    const { db, a, b } = await twoTenants();
    await db.batch(replaceBudgetsStmts(db, b.tenantId, [{ scope: "tenant", scope_id: "", monthly_usd: 5, policy: "block", updated_at: 0 }]));
    await db.batch(replaceBudgetsStmts(db, a.tenantId, []));
    expect(await listBudgets(db, a.tenantId)).toEqual([]);
    expect(await listBudgets(db, b.tenantId)).toHaveLength(1);
  });

  it("usage, spend and traces: A sees none of B's requests", async () => {
    const { db, a, b } = await twoTenants();
    const t0 = Date.parse("2026-11-27T02:10:00Z");
    await ingest(db, [usageEvent({ requestId: "req-b", tenantId: b.tenantId, keyId: b.keyId, completedAt: t0 })]);
    const query = UsageQuerySchema.parse({ from: String(t0 - 86_400_000), to: String(t0 + 86_400_000) });
    const ofB = await queryUsage(db, b.tenantId, query, null);
    expect(ofB.rows.reduce((n, r) => n + r.requests, 0)).toBe(1);
    expect((await getRequestTrace(db, b.tenantId, "req-b", { contentAccess: "none", features: null }))?.requestId).toBe("req-b");
    expect(await getRequestTrace(db, a.tenantId, "req-b", { contentAccess: "redacted", features: null })).toBeNull();
    const ofA = await queryUsage(db, a.tenantId, query, null);
    expect(ofA.rows.reduce((n, r) => n + r.requests, 0)).toBe(0);
    expect(await spendSince(db, a.tenantId, "tenant", "", 0)).toBe(0);
    expect(await spendSince(db, b.tenantId, "tenant", "", 0)).toBeGreaterThan(0);
  });
});
