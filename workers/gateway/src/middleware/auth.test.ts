import { describe, expect, it, vi } from "vitest";
import { FailureTracker } from "../auth/failure-tracker";
import { KeyCache, KEY_CACHE_TTL_MS } from "../auth/key-lookup";
import { seedTenant } from "../auth/seed-tenant";
import { createTestApp, createTestEnv } from "../auth/testing/test-app";
import { auth, UNAUTHORIZED_MESSAGE } from "./auth";

function setup(clock = { now: 1_800_000_000_000 }) {
  const t = createTestEnv();
  const cache = new KeyCache();
  const app = createTestApp();
  app.use("*", auth({ now: () => clock.now, cache, failures: new FailureTracker(3, 60_000) }));
  app.get("/whoami", (c) => c.json(c.get("auth")));
  const call = (key?: string, headers: Record<string, string> = {}) =>
    app.request("/whoami", { headers: { ...(key === undefined ? {} : { authorization: `Bearer ${key}` }), ...headers } }, t.env);
  return { ...t, app, cache, clock, call };
}

describe("auth() middleware", () => {
  it("resolves a valid key to tenant, role, scopes and allow-lists", async () => {
    const s = setup();
    const seeded = await seedTenant(s.db, { name: "acme", role: "developer", scopes: ["content:read"], models: ["gpt-4o-mini"] });
    const res = await s.call(seeded.key);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      tenantId: seeded.tenantId,
      keyId: seeded.keyId,
      role: "developer",
      scopes: ["content:read"],
      models: ["gpt-4o-mini"],
      tiers: null,
      features: null,
    });
  });

  it("accepts the bearer scheme case-insensitively", async () => {
    const s = setup();
    const { key } = await seedTenant(s.db, { name: "acme", role: "service" });
    expect((await s.app.request("/whoami", { headers: { authorization: `bearer ${key}` } }, s.env)).status).toBe(200);
  });

  it("returns the identical 401 for missing, malformed, forged, expired and revoked keys", async () => {
    const s = setup();
    const good = await seedTenant(s.db, { name: "acme", role: "service" });
    const expired = await seedTenant(s.db, { name: "acme2", role: "service" });
    await s.db.prepare("UPDATE api_keys SET expires_at = ? WHERE id = ?").bind(s.clock.now - 1, expired.keyId).run();
    const revoked = await seedTenant(s.db, { name: "acme3", role: "service" });
    await s.db.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ?").bind(s.clock.now - 1, revoked.keyId).run();
    const forgedSecret = good.key.slice(0, -4) + (good.key.endsWith("aaaa") ? "bbbb" : "aaaa");
    const unknownPrefix = good.key.replace(/^(gw_local_)[a-z2-7]{12}/, "$1aaaaaaaaaaaa");
    const cases: (string | undefined)[] = [undefined, "", "garbage", "sk-openai-style", forgedSecret, unknownPrefix, expired.key, revoked.key];
    const bodies = new Set<string>();
    for (const key of cases) {
      const res = await s.call(key);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="gateway"');
      const body = (await res.json()) as { error: { message: string; code: string } };
      expect(body.error.message).toBe(UNAUTHORIZED_MESSAGE);
      bodies.add(JSON.stringify(body));
    }
    expect(bodies.size).toBe(1);
    expect((await s.call(good.key)).status).toBe(200);
  });

  it("stops accepting a revoked key within the cache TTL (< 5 s)", async () => {
    const s = setup();
    const { key, keyId } = await seedTenant(s.db, { name: "acme", role: "service" });
    expect((await s.call(key)).status).toBe(200);
    await s.db.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ?").bind(s.clock.now, keyId).run();
    s.clock.now += KEY_CACHE_TTL_MS;
    expect(KEY_CACHE_TTL_MS).toBeLessThan(5_000);
    expect((await s.call(key)).status).toBe(401);
  });

  it("honours expiry exactly, even from the cache", async () => {
    const s = setup();
    const { key, keyId } = await seedTenant(s.db, { name: "acme", role: "service" });
    await s.db.prepare("UPDATE api_keys SET expires_at = ? WHERE id = ?").bind(s.clock.now + 1000, keyId).run();
    expect((await s.call(key)).status).toBe(200);
    s.clock.now += 1000;
    expect((await s.call(key)).status).toBe(401);
  });

  it("appends one audit row per burst of failures from one client", async () => {
    const s = setup();
    for (let i = 0; i < 5; i++) await s.call("nope", { "cf-connecting-ip": "203.0.113.9" });
    await vi.waitFor(async () => {
      const rows = await s.db.prepare("SELECT action, target FROM audit_log WHERE action = 'auth.failure_burst'").all();
      expect(rows.results).toEqual([{ action: "auth.failure_burst", target: "203.0.113.9" }]);
    });
  });

  it("fails closed with 503 when the key store is unavailable", async () => {
    const s = setup();
    const { key } = await seedTenant(s.db, { name: "acme", role: "service" });
    s.raw.sqlite.exec("DROP TABLE tenant_limits");
    const res = await s.call(key);
    expect(res.status).toBe(503);
  });
});
