/**
 * The grant rule on every admin path that yields or changes powers (auth/grants.ts): a caller
 * manages only keys it could have minted, and restricted callers leave shared controls alone.
 * The first two tests are the privilege escalations of issue 19, item 1.
 */
import { describe, expect, it } from "vitest";
import { seedTenant } from "../../auth/seed-tenant";
import { adminFixture } from "./testing";

type Fixture = Awaited<ReturnType<typeof adminFixture>>;

async function refused(f: Fixture, method: string, path: string, key: string, body?: unknown, param?: string | null) {
  const before = await f.snapshot();
  const res = await f.call(method, path, key, body);
  expect(res.status, `${method} ${path} ${JSON.stringify(res.json)}`).toBe(403);
  if (param !== undefined) expect(res.json.error?.param).toBe(param);
  expect(await f.snapshot(), "a refused call writes nothing: no key row, no audit row").toBe(before);
}

/** One tenant with an operator-grade admin key, a scope-less admin and a restricted admin. */
async function tenantWithAdmins(f: Fixture) {
  const powerful = await seedTenant(f.db, { name: "acme", role: "admin", scopes: ["tenants:manage", "content:read"] });
  const tenantId = powerful.tenantId;
  const plain = await seedTenant(f.db, { name: "acme", tenantId, role: "admin" });
  const restricted = await seedTenant(f.db, { name: "acme", tenantId, role: "admin", features: ["support"], tiers: ["small"], models: ["small-sim"] });
  const service = await seedTenant(f.db, { name: "acme", tenantId, role: "service" });
  return { tenantId, powerful, plain, restricted, service };
}

describe("admin grant rule", () => {
  it("a scope-less admin cannot rotate an admin key holding tenants:manage / content:read", async () => {
    const f = await adminFixture();
    const { powerful, plain } = await tenantWithAdmins(f);
    await refused(f, "POST", `/admin/v1/keys/${powerful.keyId}/rotate`, plain.key, { grace_seconds: 0 }, "scopes");
    await refused(f, "POST", `/admin/v1/keys/${powerful.keyId}/rotate`, plain.key, undefined, "scopes");
    // Still confined to its own tenant, and the powerful key was not revoked by the attempt.
    expect((await f.call("GET", "/admin/v1/tenants", plain.key)).status).toBe(403);
    expect((await f.call("GET", "/admin/v1/tenants", powerful.key)).status).toBe(200);
  });

  it("a restricted admin cannot rotate an unrestricted service key, but can rotate keys within its grants and itself", async () => {
    const f = await adminFixture();
    const { tenantId, restricted, service } = await tenantWithAdmins(f);
    await refused(f, "POST", `/admin/v1/keys/${service.keyId}/rotate`, restricted.key, {}, "models");
    const narrow = await seedTenant(f.db, { name: "acme", tenantId, role: "service", features: ["support"], tiers: ["small"], models: ["small-sim"] });
    const ok = await f.call("POST", `/admin/v1/keys/${narrow.keyId}/rotate`, restricted.key, {});
    expect(ok.status).toBe(201);
    expect((await f.call("GET", "/v1/models", ok.json.key as string)).json).toMatchObject({ features: ["support"], tiers: ["small"], models: ["small-sim"] });
    expect((await f.call("POST", `/admin/v1/keys/${restricted.keyId}/rotate`, restricted.key, {})).status).toBe(201);
  });

  it("revocation follows the same rule; operators manage any key", async () => {
    const f = await adminFixture();
    const { powerful, plain, restricted, service } = await tenantWithAdmins(f);
    await refused(f, "DELETE", `/admin/v1/keys/${powerful.keyId}`, plain.key, undefined, "scopes");
    await refused(f, "DELETE", `/admin/v1/keys/${service.keyId}`, restricted.key, undefined, "models");
    expect((await f.call("DELETE", `/admin/v1/keys/${service.keyId}`, plain.key)).status).toBe(200);
    expect((await f.call("POST", `/admin/v1/keys/${plain.keyId}/rotate`, f.op.key, {})).status).toBe(201);
    expect((await f.call("DELETE", `/admin/v1/keys/${powerful.keyId}`, f.op.key)).status).toBe(200);
  });

  it("budgets: a key budget needs a key the caller could mint; shared budgets need an unrestricted caller", async () => {
    const f = await adminFixture();
    const { tenantId, powerful, plain, service } = await tenantWithAdmins(f);
    const support = await seedTenant(f.db, { name: "acme", tenantId, role: "admin", features: ["support"] });
    const own = await seedTenant(f.db, { name: "acme", tenantId, role: "service", features: ["support"] });
    const put = (key: string, budgets: unknown[]) => f.call("PUT", `/admin/v1/tenants/${tenantId}/budget`, key, { budgets });
    const base = [{ monthly_usd: 100 }, { scope: "key", scope_id: service.keyId, monthly_usd: 5 }, { scope: "feature", scope_id: "billing", monthly_usd: 7 }];
    expect((await put(plain.key, base)).status).toBe(200);
    // Restricted to the support feature: its own key's and feature's budgets, nothing shared.
    const withOwn = [...base, { scope: "key", scope_id: own.keyId, monthly_usd: 1 }, { scope: "feature", scope_id: "support", monthly_usd: 2, policy: "downgrade" }];
    expect((await put(support.key, withOwn)).status).toBe(200);
    await refused(f, "PUT", `/admin/v1/tenants/${tenantId}/budget`, support.key, { budgets: [{ monthly_usd: 1e6 }, ...withOwn.slice(1)] }, "budgets.0");
    await refused(f, "PUT", `/admin/v1/tenants/${tenantId}/budget`, support.key, { budgets: withOwn.slice(1) }, "budgets");
    await refused(f, "PUT", `/admin/v1/tenants/${tenantId}/budget`, support.key, { budgets: withOwn.map((b, i) => (i === 1 ? { ...b, monthly_usd: 500 } : b)) }, "budgets.1");
    await refused(f, "PUT", `/admin/v1/tenants/${tenantId}/budget`, support.key, { budgets: withOwn.map((b, i) => (i === 2 ? { ...b, monthly_usd: 0 } : b)) }, "budgets.2");
    // A scope-less admin may not budget (loosen or tighten) the operator-grade key.
    await refused(f, "PUT", `/admin/v1/tenants/${tenantId}/budget`, plain.key, { budgets: [...withOwn, { scope: "key", scope_id: powerful.keyId, monthly_usd: 0 }] }, "budgets.5");
    expect((await put(powerful.key, [...withOwn, { scope: "key", scope_id: powerful.keyId, monthly_usd: 0 }])).status).toBe(200);
  });

  it("limits, tenant-wide settings, alert rules and the content export need an unrestricted caller", async () => {
    const f = await adminFixture();
    const { tenantId, plain } = await tenantWithAdmins(f);
    const support = await seedTenant(f.db, { name: "acme", tenantId, role: "admin", features: ["support"], scopes: ["content:read"] });
    const tiered = await seedTenant(f.db, { name: "acme", tenantId, role: "admin", tiers: ["small"] });
    const rule = { metric: "error_rate", comparator: "gte", threshold: 0.2, windowMinutes: 5, webhookUrl: "https://hooks.example.com/x", secretName: "ALERT_WEBHOOK_SECRET" };
    await refused(f, "PUT", `/admin/v1/tenants/${tenantId}/limits`, support.key, { tenant_requests_per_minute: null });
    await refused(f, "PUT", `/admin/v1/tenants/${tenantId}/settings`, support.key, { guardrails: { pii: { enabled: false } } });
    await refused(f, "PUT", `/admin/v1/tenants/${tenantId}/settings?feature=billing`, support.key, { guardrails: { pii: { enabled: false } } }, "feature");
    await refused(f, "PUT", `/admin/v1/tenants/${tenantId}/settings?feature=support`, tiered.key, { cache: {} }, "feature");
    await refused(f, "POST", `/admin/v1/tenants/${tenantId}/alerts`, support.key, rule);
    await refused(f, "GET", "/admin/v1/datasets/retraining?since=0", support.key);
    expect((await f.call("PUT", `/admin/v1/tenants/${tenantId}/settings?feature=support`, support.key, { cache: {} })).status).toBe(200);
    const created = await f.call("POST", `/admin/v1/tenants/${tenantId}/alerts`, plain.key, rule);
    expect(created.status).toBe(201);
    await refused(f, "DELETE", `/admin/v1/tenants/${tenantId}/alerts/${created.json.id}`, support.key);
    expect((await f.call("PUT", `/admin/v1/tenants/${tenantId}/limits`, plain.key, { tenant_requests_per_minute: 60 })).status).toBe(200);
  });

  it("an expiring key mints and manages only keys that expire no later than itself", async () => {
    const f = await adminFixture();
    const day = 86_400_000;
    const soon = Date.now() + day;
    const temp = await seedTenant(f.db, { name: "acme", role: "admin", expiresAt: soon });
    const tenantId = temp.tenantId;
    const mint = (body: unknown) => f.call("POST", `/admin/v1/tenants/${tenantId}/keys`, temp.key, body);
    await refused(f, "POST", `/admin/v1/tenants/${tenantId}/keys`, temp.key, { role: "admin" }, "expires_at");
    await refused(f, "POST", `/admin/v1/tenants/${tenantId}/keys`, temp.key, { role: "admin", expires_at: Math.ceil((soon + day) / 1000) }, "expires_at");
    expect((await mint({ role: "service", expires_at: Math.floor((soon - 60_000) / 1000) })).status).toBe(201);
    const forever = await seedTenant(f.db, { name: "acme", tenantId, role: "service" });
    const shorter = await seedTenant(f.db, { name: "acme", tenantId, role: "service", expiresAt: soon - 60_000 });
    await refused(f, "POST", `/admin/v1/keys/${forever.keyId}/rotate`, temp.key, {}, "expires_at");
    await refused(f, "DELETE", `/admin/v1/keys/${forever.keyId}`, temp.key, undefined, "expires_at");
    expect((await f.call("POST", `/admin/v1/keys/${shorter.keyId}/rotate`, temp.key, {})).status).toBe(201);
  });
});
