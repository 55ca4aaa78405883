/**
 * Property-based checks on every admin endpoint: whatever the body or path id, the answer is
 * never a 5xx, a refused call changes nothing (no partial write), and an accepted write adds
 * exactly one audit row while the chain stays valid.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seedTenant } from "../../auth/seed-tenant";
import { verifyAuditChain } from "../../../../../shared/audit/verify";
import { adminFixture } from "./testing";

type Fixture = Awaited<ReturnType<typeof adminFixture>>;

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const junk = fc.oneof(fc.jsonValue(), fc.string(), fc.constant(null));
const role = fc.oneof(fc.constantFrom("admin", "developer", "viewer", "service"), junk);
const strList = fc.oneof(fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("small-sim", "small", "medium")), { maxLength: 4 }), junk);
const keyBody = fc.record(
  { role, models: maybe(strList), tiers: maybe(strList), features: maybe(strList), scopes: maybe(fc.oneof(fc.constant(["content:read"]), strList)), expires_at: maybe(fc.oneof(fc.integer(), fc.constant(4_000_000_000), fc.string())), extra: maybe(junk) },
  { requiredKeys: [] },
);
const budgetEntry = fc.record(
  { scope: maybe(fc.oneof(fc.constantFrom("tenant", "key", "feature"), junk)), scope_id: maybe(fc.oneof(fc.constant("search"), fc.string())), monthly_usd: fc.oneof(fc.double({ noNaN: false }), fc.nat(), junk), policy: maybe(fc.oneof(fc.constantFrom("block", "downgrade"), junk)) },
  { requiredKeys: [] },
);
const limitsBody = fc.dictionary(
  fc.constantFrom("tenant_requests_per_minute", "tenant_tokens_per_minute", "key_requests_per_minute", "key_tokens_per_minute", "other"),
  fc.oneof(fc.integer(), fc.constant(null), junk),
);
const anyBody = (structured: fc.Arbitrary<unknown>, valid: fc.Arbitrary<unknown> = structured) =>
  fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: structured, weight: 2 }, junk, fc.string().map((s) => `{${s}`));
const name = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== "");
const validTenant = fc.record({ name });
// Registry names of config/models.local.json (ids and aliases), so valid bodies mostly succeed.
const modelName = fc.constantFrom("small-sim", "frontier-sim", "small", "frontier");
const tierName = fc.constantFrom("small", "frontier");
const validKey = fc.record(
  { role: fc.constantFrom("admin", "developer", "viewer", "service"), models: maybe(fc.array(modelName, { maxLength: 3 })), tiers: maybe(fc.array(tierName, { maxLength: 2 })), scopes: maybe(fc.constant(["content:read"])) },
  { requiredKeys: ["role"] },
);
const validBudget = fc.record({
  budgets: fc.uniqueArray(fc.record({ scope: fc.constant("feature"), scope_id: name, monthly_usd: fc.nat({ max: 1_000_000 }), policy: fc.constantFrom("block", "downgrade") }), { maxLength: 3, selector: (b) => b.scope_id }),
});
const perMin = fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null });
const validLimits = fc.record({ tenant_requests_per_minute: perMin, tenant_tokens_per_minute: perMin, key_requests_per_minute: perMin, key_tokens_per_minute: perMin }, { requiredKeys: [] });

async function check(f: Fixture, method: string, path: string, body: unknown, write: boolean): Promise<void> {
  const before = await f.snapshot();
  const auditBefore = (await f.db.prepare("SELECT COUNT(*) AS n FROM audit_log").first<number>("n")) ?? 0;
  const res = await f.call(method, path, f.op.key, body);
  expect(res.status, JSON.stringify(res.json)).toBeLessThan(500);
  if (res.status >= 400 || !write) {
    expect(await f.snapshot()).toBe(before);
    return;
  }
  const auditAfter = (await f.db.prepare("SELECT COUNT(*) AS n FROM audit_log").first<number>("n")) ?? 0;
  if (write && method !== "DELETE") expect(auditAfter).toBe(auditBefore + 1);
  expect((await verifyAuditChain(f.db, null)).ok).toBe(true);
}

const idPart = (valid: string) => fc.oneof({ arbitrary: fc.constant(valid), weight: 4 }, fc.string({ maxLength: 30 }).map(encodeURIComponent), fc.constant("ten_nope"), fc.constant("key_aaaaaaaaaaaaaaaa"));
const RUNS = { numRuns: 40 };

describe("admin API properties (never 5xx, never a partial write)", () => {
  it("POST /admin/v1/tenants", async () => {
    const f = await adminFixture();
    const body = fc.record({ name: maybe(fc.oneof(fc.string({ maxLength: 250 }), junk)), id: maybe(fc.oneof(fc.constant("ten_ops"), fc.stringMatching(/^ten_[a-z0-9_]{1,8}$/), fc.string())) }, { requiredKeys: [] });
    await fc.assert(fc.asyncProperty(anyBody(body, validTenant), (b) => check(f, "POST", "/admin/v1/tenants", b, true)), RUNS);
  });

  it("GET /admin/v1/tenants and GET /admin/v1/audit/verify", async () => {
    const f = await adminFixture();
    await check(f, "GET", "/admin/v1/tenants", undefined, false);
    await check(f, "GET", "/admin/v1/audit/verify", undefined, false);
  });

  it("POST and GET /admin/v1/tenants/{id}/keys", async () => {
    const f = await adminFixture();
    await fc.assert(
      fc.asyncProperty(idPart("ten_ops"), anyBody(keyBody, validKey), async (id, b) => {
        await check(f, "POST", `/admin/v1/tenants/${id}/keys`, b, true);
        await check(f, "GET", `/admin/v1/tenants/${id}/keys`, undefined, false);
      }),
      RUNS,
    );
  });

  it("DELETE /admin/v1/keys/{id} and POST /admin/v1/keys/{id}/rotate", async () => {
    const f = await adminFixture();
    await fc.assert(
      fc.asyncProperty(fc.boolean(), anyBody(fc.record({ grace_seconds: fc.oneof(fc.integer(), junk) }, { requiredKeys: [] }), fc.record({ grace_seconds: fc.integer({ min: 0, max: 3600 }) })), async (revokeFirst, b) => {
        const s = await seedTenant(f.db, { name: "p", role: "service" });
        await check(f, "POST", `/admin/v1/keys/${s.keyId}/rotate`, b, true);
        if (revokeFirst) await check(f, "DELETE", `/admin/v1/keys/${s.keyId}`, undefined, true);
        await fc.assert(fc.asyncProperty(idPart(s.keyId), (id) => check(f, "DELETE", `/admin/v1/keys/${id}`, undefined, true)), { numRuns: 3 });
      }),
      { numRuns: 25 },
    );
  });

  it("PUT /admin/v1/tenants/{id}/budget", async () => {
    const f = await adminFixture();
    const body = fc.record({ budgets: fc.oneof(fc.array(budgetEntry, { maxLength: 4 }), junk) }, { requiredKeys: [] });
    await fc.assert(fc.asyncProperty(idPart("ten_ops"), anyBody(body, validBudget), (id, b) => check(f, "PUT", `/admin/v1/tenants/${id}/budget`, b, true)), RUNS);
  });

  it("PUT and GET /admin/v1/tenants/{id}/limits, GET /admin/v1/tenants/{id}/budget", async () => {
    const f = await adminFixture();
    await fc.assert(
      fc.asyncProperty(idPart("ten_ops"), anyBody(limitsBody, validLimits), async (id, b) => {
        await check(f, "PUT", `/admin/v1/tenants/${id}/limits`, b, true);
        await check(f, "GET", `/admin/v1/tenants/${id}/limits`, undefined, false);
        await check(f, "GET", `/admin/v1/tenants/${id}/budget`, undefined, false);
      }),
      RUNS,
    );
  });
});

describe("admin grant rule properties (auth/grants.ts against an independent oracle)", () => {
  const sub = <T>(items: readonly T[]) => fc.subarray([...items]);
  const list = <T>(items: readonly T[]) => fc.option(sub(items), { nil: null });
  const grants = fc.record({
    scopes: sub(["content:read", "tenants:manage"]),
    models: list(["small-sim", "frontier-sim"]),
    tiers: list(["small", "frontier"]),
    features: list(["a", "b"]),
    expires: fc.option(fc.constantFrom(1, 2), { nil: null }),
  });
  type G = { scopes: string[]; models: string[] | null; tiers: string[] | null; features: string[] | null; expires: number | null };
  const base = Date.now() + 86_400_000;
  const within = (inner: readonly string[], outer: readonly string[]) => inner.every((x) => outer.includes(x));
  /** Could `caller` have created `key`? Written from the docs' table, not from grants.ts. */
  const mayManage = (caller: G, key: G) =>
    (caller.scopes.includes("tenants:manage") || within(key.scopes, caller.scopes)) &&
    (["models", "tiers", "features"] as const).every((l) => caller[l] === null || (key[l] !== null && within(key[l]!, caller[l]!))) &&
    (caller.expires === null || (key.expires !== null && key.expires <= caller.expires));
  const seed = (f: Fixture, tenantId: string | undefined, role: "admin" | "service", g: G) =>
    seedTenant(f.db, { name: "g", role, ...(tenantId ? { tenantId } : {}), scopes: g.scopes, ...(g.models ? { models: g.models } : {}), ...(g.tiers ? { tiers: g.tiers } : {}), ...(g.features ? { features: g.features } : {}), ...(g.expires ? { expiresAt: base + g.expires * 60_000 } : {}) });

  it("rotate, revoke and key budgets succeed exactly when the caller could have minted the key; refusals write nothing", async () => {
    const f = await adminFixture();
    const action = fc.constantFrom("rotate", "revoke", "budget");
    await fc.assert(
      fc.asyncProperty(grants, grants, action, async (callerGrants, keyGrants, act) => {
        const caller = await seed(f, undefined, "admin", callerGrants);
        const key = await seed(f, caller.tenantId, "service", keyGrants);
        const [method, path, body] =
          act === "rotate" ? ["POST", `/admin/v1/keys/${key.keyId}/rotate`, { grace_seconds: 0 }]
          : act === "revoke" ? ["DELETE", `/admin/v1/keys/${key.keyId}`, undefined]
          : ["PUT", `/admin/v1/tenants/${caller.tenantId}/budget`, { budgets: [{ scope: "key", scope_id: key.keyId, monthly_usd: 1 }] }];
        const before = await f.snapshot();
        const res = await f.call(method, path, caller.key, body);
        if (mayManage(callerGrants, keyGrants)) {
          expect(res.status, JSON.stringify(res.json)).toBeLessThan(300);
        } else {
          expect(res.status, JSON.stringify(res.json)).toBe(403);
          expect(await f.snapshot()).toBe(before);
        }
      }),
      { numRuns: 60 },
    );
    expect((await verifyAuditChain(f.db, null)).ok).toBe(true);
  });
});
