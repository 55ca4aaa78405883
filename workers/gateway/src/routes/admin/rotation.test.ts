/** Key rotation: what the successor inherits (issue 19 item 6) and how long the old key lives. */
import { describe, expect, it } from "vitest";
import { seedTenant } from "../../auth/seed-tenant";
import { spendSince } from "../../limits/budget-repository";
import { adminFixture } from "./testing";

type Fixture = Awaited<ReturnType<typeof adminFixture>>;

const keyBudgets = async (f: Fixture, keyId: string) =>
  (await f.db.prepare("SELECT scope, monthly_usd, policy FROM budgets WHERE scope = 'key' AND scope_id = ?1").bind(keyId).all()).results;

describe("key rotation", () => {
  it("the successor inherits its predecessor's key budgets, in the rotation's own batch", async () => {
    const f = await adminFixture();
    const s = await seedTenant(f.db, { name: "acme", role: "service" });
    const other = await seedTenant(f.db, { name: "acme", tenantId: s.tenantId, role: "service" });
    const budgets = [{ monthly_usd: 100 }, { scope: "key", scope_id: s.keyId, monthly_usd: 5, policy: "downgrade" }, { scope: "key", scope_id: other.keyId, monthly_usd: 9 }];
    expect((await f.call("PUT", `/admin/v1/tenants/${s.tenantId}/budget`, f.op.key, { budgets })).status).toBe(200);
    const rotated = await f.call("POST", `/admin/v1/keys/${s.keyId}/rotate`, f.op.key, { grace_seconds: 60 });
    expect(rotated.status).toBe(201);
    const successor = rotated.json.id as string;
    expect(await keyBudgets(f, successor)).toEqual([{ scope: "key", monthly_usd: 5, policy: "downgrade" }]);
    // The old key keeps its own budget for its grace period; nobody else's budget moved.
    expect(await keyBudgets(f, s.keyId)).toEqual([{ scope: "key", monthly_usd: 5, policy: "downgrade" }]);
    expect(await keyBudgets(f, other.keyId)).toEqual([{ scope: "key", monthly_usd: 9, policy: "block" }]);
    // A successor of the successor inherits too.
    const again = await f.call("POST", `/admin/v1/keys/${successor}/rotate`, f.op.key, { grace_seconds: 0 });
    expect(await keyBudgets(f, again.json.id as string)).toEqual([{ scope: "key", monthly_usd: 5, policy: "downgrade" }]);
  });

  it("a refused (concurrent) rotation copies no budget: the copy commits with the key or not at all", async () => {
    const f = await adminFixture();
    const s = await seedTenant(f.db, { name: "acme", role: "service" });
    await f.call("PUT", `/admin/v1/tenants/${s.tenantId}/budget`, f.op.key, { budgets: [{ scope: "key", scope_id: s.keyId, monthly_usd: 3 }] });
    const both = await Promise.all([0, 1].map(() => f.call("POST", `/admin/v1/keys/${s.keyId}/rotate`, f.op.key, { grace_seconds: 60 })));
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const rows = (await f.db.prepare("SELECT scope_id FROM budgets WHERE scope = 'key' ORDER BY scope_id").all<{ scope_id: string }>()).results.map((r) => r.scope_id);
    const winner = both.find((r) => r.status === 201)!.json.id as string;
    expect(rows.sort()).toEqual([s.keyId, winner].sort());
  });

  it("without a body, the old key keeps working for the default grace of 300 s", async () => {
    const f = await adminFixture();
    const s = await seedTenant(f.db, { name: "acme", role: "service" });
    const before = Date.now();
    const r = await f.call("POST", `/admin/v1/keys/${s.keyId}/rotate`, f.op.key);
    expect(r.status).toBe(201);
    const ends = r.json.old_key_expires_at as number;
    expect(ends).toBeGreaterThanOrEqual(before + 300_000);
    expect(ends).toBeLessThanOrEqual(Date.now() + 300_000);
    expect((await f.call("GET", "/v1/models", s.key)).status).toBe(200);
    expect((await f.call("GET", "/v1/models", r.json.key as string)).status).toBe(200);
    const row = await f.db.prepare("SELECT expires_at, revoked_at FROM api_keys WHERE id = ?1").bind(s.keyId).first();
    expect(row).toEqual({ expires_at: ends, revoked_at: null });
  });

  it("a successor's key budget counts its predecessors' spend this month (rotating does not reset it)", async () => {
    const f = await adminFixture();
    const a = await seedTenant(f.db, { name: "acme", role: "service" });
    const other = await seedTenant(f.db, { name: "acme", tenantId: a.tenantId, role: "service" });
    const stranger = await seedTenant(f.db, { name: "elsewhere", role: "service" });
    const b = (await f.call("POST", `/admin/v1/keys/${a.keyId}/rotate`, f.op.key, { grace_seconds: 0 })).json.id as string;
    const c = (await f.call("POST", `/admin/v1/keys/${b}/rotate`, f.op.key, { grace_seconds: 0 })).json.id as string;
    const spend = (tenantId: string, keyId: string, usd: number) =>
      f.db.prepare("INSERT INTO usage_rollups_hourly (tenant_id, hour, feature, model, tier, key_id, kind, cost_usd) VALUES (?1, 3600000, '', 'small-sim', 'small', ?2, 'chat', ?3)").bind(tenantId, keyId, usd).run();
    await spend(a.tenantId, a.keyId, 2);
    await spend(a.tenantId, b, 1);
    await spend(a.tenantId, c, 0.5);
    await spend(a.tenantId, other.keyId, 7);
    await spend(stranger.tenantId, a.keyId, 100); // same key id under another tenant: never counted
    expect(await spendSince(f.db, a.tenantId, "key", c, 0)).toBe(3.5);
    expect(await spendSince(f.db, a.tenantId, "key", b, 0)).toBe(3);
    expect(await spendSince(f.db, a.tenantId, "key", a.keyId, 0)).toBe(2);
    expect(await spendSince(f.db, a.tenantId, "key", other.keyId, 0)).toBe(7);
    expect(await spendSince(f.db, a.tenantId, "feature", "", 0)).toBe(10.5);
    expect(await spendSince(f.db, a.tenantId, "tenant", "", 0)).toBe(10.5);
  });
});
