import { describe, expect, it, vi } from "vitest";
import { readAnchor } from "../../../../../shared/audit/anchor";
import { seedTenant } from "../../auth/seed-tenant";
import { adminFixture } from "./testing";

describe("admin API", () => {
  it("operator creates a tenant and a key; the key is shown once, works, and only its hash is stored", async () => {
    const f = await adminFixture();
    const t = await f.call("POST", "/admin/v1/tenants", f.op.key, { name: "Acme" });
    expect(t.status).toBe(201);
    const tenantId = t.json.id as string;
    // "small" is the local registry's alias of small-sim: the key stores the model's id.
    const k = await f.call("POST", `/admin/v1/tenants/${tenantId}/keys`, f.op.key, { role: "service", models: ["small", "small-sim"], features: ["search"] });
    expect(k.status).toBe(201);
    const key = k.json.key as string;
    expect(key).toMatch(/^gw_local_/);
    expect((await f.call("GET", "/v1/models", key)).json).toMatchObject({ tenantId, role: "service", models: ["small-sim"], features: ["search"] });
    const list = await f.call("GET", `/admin/v1/tenants/${tenantId}/keys`, f.op.key);
    expect(JSON.stringify(list.json)).not.toContain(key.split("_").at(-1));
    expect(JSON.stringify(list.json)).not.toContain("hash");
    expect(JSON.stringify(await f.snapshot())).not.toContain(key.split("_").at(-1));
  });

  it("answers two concurrent creations of one tenant id with 201 and 409, never a 500", async () => {
    const f = await adminFixture();
    const both = await Promise.all([0, 1].map(() => f.call("POST", "/admin/v1/tenants", f.op.key, { name: "Twin", id: "ten_twin" })));
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it("rotates a key once: a concurrent or repeated rotation is a 409 and leaves one successor", async () => {
    const f = await adminFixture();
    const s = await seedTenant(f.db, { name: "acme", role: "service" });
    const both = await Promise.all([0, 1].map(() => f.call("POST", `/admin/v1/keys/${s.keyId}/rotate`, f.op.key, { grace_seconds: 3600 })));
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await f.call("POST", `/admin/v1/keys/${s.keyId}/rotate`, f.op.key, { grace_seconds: 3600 })).status).toBe(409);
    const successors = await f.db.prepare("SELECT COUNT(*) AS n FROM api_keys WHERE rotated_from = ?1").bind(s.keyId).first<{ n: number }>();
    expect(successors?.n).toBe(1);
  });

  it("lists tenants for operators only", async () => {
    const f = await adminFixture();
    const admin = await seedTenant(f.db, { name: "other", role: "admin" });
    expect((await f.call("GET", "/admin/v1/tenants", f.op.key)).json.data).toHaveLength(2);
    expect((await f.call("GET", "/admin/v1/tenants", admin.key)).status).toBe(403);
    expect((await f.call("POST", "/admin/v1/tenants", admin.key, { name: "x" })).status).toBe(403);
  });

  it("revoking a key stops it at once in this isolate", async () => {
    const f = await adminFixture();
    const s = await seedTenant(f.db, { name: "acme", role: "service" });
    expect((await f.call("GET", "/v1/models", s.key)).status).toBe(200);
    const r = await f.call("DELETE", `/admin/v1/keys/${s.keyId}`, f.op.key);
    expect(r.status).toBe(200);
    expect(r.json.revoked_at).toEqual(expect.any(Number));
    expect((await f.call("GET", "/v1/models", s.key)).status).toBe(401);
    expect((await f.call("DELETE", `/admin/v1/keys/${s.keyId}`, f.op.key)).status).toBe(200);
  });

  it("rotates a key: same grants, new secret, old key revoked (or kept for the grace period)", async () => {
    const f = await adminFixture();
    const s = await seedTenant(f.db, { name: "acme", role: "developer", scopes: ["content:read"], tiers: ["small"] });
    const r = await f.call("POST", `/admin/v1/keys/${s.keyId}/rotate`, f.op.key, { grace_seconds: 0 });
    expect(r.status).toBe(201);
    expect((await f.call("GET", "/v1/models", r.json.key as string)).json).toMatchObject({ role: "developer", scopes: ["content:read"], tiers: ["small"] });
    expect((await f.call("GET", "/v1/models", s.key)).status).toBe(401);
    expect((await f.call("POST", `/admin/v1/keys/${s.keyId}/rotate`, f.op.key)).status).toBe(409);
    const g = await f.call("POST", `/admin/v1/keys/${r.json.id}/rotate`, f.op.key, { grace_seconds: 3600 });
    expect(g.status).toBe(201);
    expect((await f.call("GET", "/v1/models", r.json.key as string)).status).toBe(200);
  });

  it("never lets a key mint a key with more than it holds: no foreign scopes, no wider allow-lists", async () => {
    const f = await adminFixture();
    const a = await seedTenant(f.db, { name: "a", role: "admin", tiers: ["small"] });
    const b = await seedTenant(f.db, { name: "b", role: "service" });
    const mint = (body: unknown) => f.call("POST", `/admin/v1/tenants/${a.tenantId}/keys`, a.key, body);
    for (const [body, param] of [
      [{ role: "admin", scopes: ["tenants:manage"], tiers: ["small"] }, "scopes"],
      [{ role: "admin", scopes: ["content:read"], tiers: ["small"] }, "scopes"],
      [{ role: "service" }, "tiers"],
      [{ role: "service", tiers: ["small", "frontier"] }, "tiers"],
    ] as const) {
      const before = await f.snapshot();
      const res = await mint(body);
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect(res.json.error?.param).toBe(param);
      expect(await f.snapshot()).toBe(before);
    }
    expect((await mint({ role: "service", tiers: ["small"] })).status).toBe(201);
    // Still confined: the escalation that this closes would have reached tenant b.
    expect((await f.call("GET", `/admin/v1/tenants/${b.tenantId}/keys`, a.key)).status).toBe(404);
    // Operators manage every tenant and may grant any scope.
    expect((await f.call("POST", `/admin/v1/tenants/${b.tenantId}/keys`, f.op.key, { role: "admin", scopes: ["content:read"] })).status).toBe(201);
  });

  it("confines a tenant admin to its own tenant and answers 404 for others", async () => {
    const f = await adminFixture();
    const a = await seedTenant(f.db, { name: "a", role: "admin" });
    const b = await seedTenant(f.db, { name: "b", role: "service" });
    expect((await f.call("GET", `/admin/v1/tenants/${a.tenantId}/keys`, a.key)).status).toBe(200);
    for (const [m, p, body] of [
      ["GET", `/admin/v1/tenants/${b.tenantId}/keys`, undefined],
      ["POST", `/admin/v1/tenants/${b.tenantId}/keys`, { role: "admin" }],
      ["DELETE", `/admin/v1/keys/${b.keyId}`, undefined],
      ["POST", `/admin/v1/keys/${b.keyId}/rotate`, undefined],
      ["PUT", `/admin/v1/tenants/${b.tenantId}/budget`, { budgets: [] }],
      ["PUT", `/admin/v1/tenants/${b.tenantId}/limits`, {}],
      ["GET", `/admin/v1/tenants/${b.tenantId}/budget`, undefined],
      ["GET", `/admin/v1/tenants/${b.tenantId}/limits`, undefined],
    ] as const) {
      const before = await f.snapshot();
      const res = await f.call(m, p, a.key, body);
      expect(res.status, `${m} ${p}`).toBe(404);
      expect(await f.snapshot()).toBe(before);
    }
    expect((await f.call("GET", "/v1/models", b.key)).status).toBe(200);
  });

  it("replaces budgets and limits, validating key scopes", async () => {
    const f = await adminFixture();
    const s = await seedTenant(f.db, { name: "acme", role: "service" });
    const put = (body: unknown) => f.call("PUT", `/admin/v1/tenants/${s.tenantId}/budget`, f.op.key, body);
    const ok = await put({ budgets: [{ monthly_usd: 100 }, { scope: "key", scope_id: s.keyId, monthly_usd: 10, policy: "downgrade" }, { scope: "feature", scope_id: "search", monthly_usd: 5 }] });
    expect(ok.status).toBe(200);
    expect(ok.json.budgets).toHaveLength(3);
    expect((await f.call("GET", `/admin/v1/tenants/${s.tenantId}/budget`, f.op.key)).json).toEqual(ok.json);
    const unset = await f.call("GET", `/admin/v1/tenants/${s.tenantId}/limits`, f.op.key);
    expect(unset.json).toMatchObject({ tenant_id: s.tenantId, tenant_requests_per_minute: null, tenant_tokens_per_minute: null, key_requests_per_minute: null, key_tokens_per_minute: null });
    expect((await put({ budgets: [{ scope: "key", scope_id: "key_aaaaaaaaaaaaaaaa", monthly_usd: 1 }] })).json.error?.param).toBe("budgets.0.scope_id");
    expect((await put({ budgets: [{ monthly_usd: 1 }, { monthly_usd: 2 }] })).status).toBe(400);
    expect((await put({ budgets: [] })).json.budgets).toEqual([]);
    const l = await f.call("PUT", `/admin/v1/tenants/${s.tenantId}/limits`, f.op.key, { tenant_requests_per_minute: 600, key_tokens_per_minute: 10000 });
    expect(l.json).toMatchObject({ tenant_requests_per_minute: 600, tenant_tokens_per_minute: null, key_tokens_per_minute: 10000 });
    expect((await f.call("GET", `/admin/v1/tenants/${s.tenantId}/limits`, f.op.key)).json).toEqual(l.json);
  });

  it("refuses a tenant-wide settings change that would break an existing feature layer, and never 500s on old data", async () => {
    const f = await adminFixture();
    await f.call("POST", "/admin/v1/tenants", f.op.key, { name: "Acme", id: "ten_set" });
    const put = (body: unknown, feature?: string) => f.call("PUT", `/admin/v1/tenants/ten_set/settings${feature ? `?feature=${feature}` : ""}`, f.op.key, body);
    expect((await put({ router: { rollout: { mode: "canary", candidateVersion: "v1" } } })).status).toBe(200);
    expect((await put({ router: { rollout: { mode: "canary" } } }, "search")).status).toBe(200); // inherits candidateVersion
    const breaking = await put({ router: {} });
    expect(breaking.status).toBe(400);
    expect(JSON.stringify(breaking.json)).toContain('feature \\"search\\"');
    expect((await f.call("GET", "/admin/v1/tenants/ten_set/settings?feature=search", f.op.key)).status).toBe(200);
    // A clash stored before this check: the feature falls back to the tenant-wide settings.
    await f.db.prepare("UPDATE tenant_settings SET settings_json = ?1 WHERE tenant_id = 'ten_set' AND feature = ''").bind(JSON.stringify({ router: {} })).run();
    const old = await f.call("GET", "/admin/v1/tenants/ten_set/settings?feature=search", f.op.key);
    expect(old.status).toBe(200);
  });

  it("creates and deletes alert rules together with their audit rows, and refuses non-alert secrets", async () => {
    const f = await adminFixture();
    await f.call("POST", "/admin/v1/tenants", f.op.key, { name: "Acme", id: "ten_alerts" });
    const rule = { metric: "error_rate", comparator: "gte", threshold: 0.2, windowMinutes: 5, webhookUrl: "https://hooks.example.com/x", secretName: "ALERT_WEBHOOK_SECRET" };
    expect((await f.call("POST", "/admin/v1/tenants/ten_alerts/alerts", f.op.key, { ...rule, secretName: "OPENAI_API_KEY" })).status).toBe(400);
    const created = await f.call("POST", "/admin/v1/tenants/ten_alerts/alerts", f.op.key, rule);
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect((await f.call("DELETE", `/admin/v1/tenants/ten_alerts/alerts/${id}`, f.op.key)).status).toBe(200);
    expect((await f.call("DELETE", `/admin/v1/tenants/ten_alerts/alerts/${id}`, f.op.key)).status).toBe(404);
    const rows = (await f.db.prepare("SELECT action, target FROM audit_log WHERE tenant_id = 'ten_alerts' AND action LIKE 'alert_rule.%' ORDER BY seq").all()).results;
    expect(rows).toEqual([{ action: "alert_rule.created", target: id }, { action: "alert_rule.deleted", target: id }]);
  });

  it("audits every admin action with the acting key id, anchors the head in KV, and verifies", async () => {
    const f = await adminFixture();
    const t = await f.call("POST", "/admin/v1/tenants", f.op.key, { name: "Acme", id: "ten_acme" });
    const k = await f.call("POST", "/admin/v1/tenants/ten_acme/keys", f.op.key, { role: "viewer" });
    await f.call("POST", `/admin/v1/keys/${k.json.id}/rotate`, f.op.key);
    await f.call("PUT", "/admin/v1/tenants/ten_acme/limits", f.op.key, {});
    await f.call("PUT", "/admin/v1/tenants/ten_acme/budget", f.op.key, { budgets: [] });
    // Both keys can share a created_at millisecond, so pick the new one by its lineage, not by list order.
    const listed = (await f.call("GET", "/admin/v1/tenants/ten_acme/keys", f.op.key)).json.data as { id: string; rotated_from: string | null }[];
    const rotated = listed.find((key) => key.rotated_from === k.json.id);
    expect(rotated).toBeDefined();
    await f.call("DELETE", `/admin/v1/keys/${rotated!.id}`, f.op.key);
    expect(t.status).toBe(201);
    const rows = (await f.db.prepare("SELECT action, actor FROM audit_log WHERE tenant_id = 'ten_acme' ORDER BY seq").all()).results;
    expect(rows).toEqual(
      ["tenant.created", "key.created", "key.rotated", "limits.updated", "budget.updated", "key.revoked"].map((action) => ({ action, actor: f.op.keyId })),
    );
    await vi.waitFor(async () => expect((await readAnchor(f.kv as unknown as KVNamespace))?.seq).toBeGreaterThan(5));
    const v = await f.call("GET", "/admin/v1/audit/verify", f.op.key);
    expect(v.json).toMatchObject({ ok: true, problems: [], anchor: { matched: true } });
    f.raw.sqlite.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'someone' WHERE seq = 2");
    expect((await f.call("GET", "/admin/v1/audit/verify", f.op.key)).json).toMatchObject({ ok: false, problems: [{ seq: 2, kind: "hash_mismatch" }] });
  });

  it("rejects bad input with 4xx naming the field", async () => {
    const f = await adminFixture();
    expect((await f.call("POST", "/admin/v1/tenants", f.op.key, "{not json")).json.error?.code).toBe("invalid_json");
    expect((await f.call("POST", "/admin/v1/tenants", f.op.key, { name: "" })).json.error?.param).toBe("name");
    expect((await f.call("POST", "/admin/v1/tenants/ten_ops/keys", f.op.key, { role: "root" })).json.error?.param).toBe("role");
    expect((await f.call("POST", "/admin/v1/tenants/ten_ops/keys", f.op.key, { role: "service", expires_at: 1000 })).json.error?.param).toBe("expires_at");
    // Allow-lists are checked against the model registry (issue 18): no key that fails every call.
    const before = await f.snapshot();
    for (const [body, param] of [
      [{ role: "service", models: ["small-sim", "gpt-nope"] }, "models.1"],
      [{ role: "service", tiers: ["small", "medium"] }, "tiers.1"],
      [{ role: "service", tiers: ["small-sim"] }, "tiers.0"],
    ] as const) {
      const res = await f.call("POST", "/admin/v1/tenants/ten_ops/keys", f.op.key, body);
      expect([res.status, res.json.error?.param], JSON.stringify(body)).toEqual([400, param]);
    }
    expect(await f.snapshot()).toBe(before);
    expect((await f.call("POST", "/admin/v1/tenants", f.op.key, { name: "dup", id: "ten_ops" })).status).toBe(409);
    expect((await f.call("GET", "/admin/v1/tenants/ten_nope/keys", f.op.key)).status).toBe(404);
  });
});
