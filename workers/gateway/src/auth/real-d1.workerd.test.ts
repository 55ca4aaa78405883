/**
 * The same data-access code against real D1 (workerd via Miniflare, all migrations applied):
 * what the node:sqlite adapter cannot prove — D1's batch semantics and its error text for a
 * lost audit-seq race, which batchWithAudit relies on to retry.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startD1 } from "../../../evaluator/src/testing/harness";
import { appendAudit, isSeqConflict, prepareAudit } from "../../../../shared/audit/hash-chain";
import { verifyAuditChain } from "../../../../shared/audit/verify";
import { spendSince } from "../limits/budget-repository";
import { KeyCache, resolveKey } from "./key-lookup";
import { revokeKey, rotateKey } from "./key-service";
import { seedTenant } from "./seed-tenant";

let d1: Awaited<ReturnType<typeof startD1>>;
beforeAll(async () => {
  d1 = await startD1();
});
afterAll(() => d1?.dispose());

describe("on real D1 (workerd)", () => {
  it("seeds, resolves, rotates and revokes keys, with a valid audit chain", async () => {
    const s = await seedTenant(d1.db, { name: "real", role: "developer", scopes: ["content:read"] });
    const now = Date.now();
    expect(await resolveKey(d1.db, s.key, now, new KeyCache(0))).toMatchObject({ ok: true, key: { auth: { tenantId: s.tenantId, role: "developer" } } });
    const by = { auth: { scopes: [], models: null, tiers: null, features: null }, operator: true };
    const rotated = await rotateKey(d1.db, s.tenantId, s.keyId, { actor: "test", env: "local", now, graceSeconds: 0, by });
    expect((await resolveKey(d1.db, s.key, now, new KeyCache(0))).ok).toBe(false);
    expect((await resolveKey(d1.db, rotated!.key, now, new KeyCache(0))).ok).toBe(true);
    await revokeKey(d1.db, s.tenantId, rotated!.id, { actor: "test", now, by });
    expect(await resolveKey(d1.db, rotated!.key, now + 1, new KeyCache(0))).toMatchObject({ ok: false, reason: "revoked" });
    expect(await verifyAuditChain(d1.db, null)).toMatchObject({ ok: true, problems: [] });
    // A key budget's spend follows the rotation lineage (recursive CTE on real D1).
    await d1.db.prepare("INSERT INTO usage_rollups_hourly (tenant_id, hour, feature, model, tier, key_id, kind, cost_usd) VALUES (?1, 0, '', 'm', 't', ?2, 'chat', 1.5)").bind(s.tenantId, s.keyId).run();
    expect(await spendSince(d1.db, s.tenantId, "key", rotated!.id, 0)).toBe(1.5);
  });

  it("recognizes D1's error for a lost seq race and retries concurrent appends into one chain", async () => {
    const a = await prepareAudit(d1.db, null, { action: "test.race" }, 1);
    const b = await prepareAudit(d1.db, null, { action: "test.race" }, 2);
    await d1.db.batch([a.stmt]);
    const err = await d1.db.batch([b.stmt]).catch((e: unknown) => e);
    expect(isSeqConflict(err)).toBe(true);
    await Promise.all(Array.from({ length: 8 }, (_, i) => appendAudit(d1.db, null, { action: "test.concurrent", detail: { i } })));
    expect((await verifyAuditChain(d1.db, null)).ok).toBe(true);
  });

  it("refuses UPDATE and DELETE of audit rows", async () => {
    await expect(d1.db.prepare("UPDATE audit_log SET action = 'x'").run()).rejects.toThrow(/append-only/);
    await expect(d1.db.prepare("DELETE FROM audit_log").run()).rejects.toThrow(/append-only/);
  });
});
