/**
 * A settings write that asks for the PII `hash` action on a deployment that cannot hash (no
 * usable PII_HASH_KEY outside a local stack) is refused when written, not request by request.
 */
import { describe, expect, it, vi } from "vitest";
import { adminFixture } from "./admin/testing";

const hashSsn = { guardrails: { pii: { entities: { US_SSN: "hash" } } } };
const maskSsn = { guardrails: { pii: { entities: { US_SSN: "mask" } } } };

describe("PUT /admin/v1/tenants/{id}/settings asking for hash", () => {
  it("refuses hash without a usable key in production, naming the field, and stores nothing; other actions pass", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const f = await adminFixture({ ENVIRONMENT: "production" });
    const refused = await f.call("PUT", "/admin/v1/tenants/ten_ops/settings", f.op.key, hashSsn);
    expect([refused.status, refused.json.error?.code, refused.json.error?.param]).toEqual([400, "pii_hash_key_missing", "guardrails.pii.entities"]);
    const onFeature = await f.call("PUT", "/admin/v1/tenants/ten_ops/settings?feature=search", f.op.key, hashSsn);
    expect(onFeature.status).toBe(400);
    expect(await f.db.prepare("SELECT COUNT(*) AS n FROM tenant_settings").first<number>("n")).toBe(0);
    expect((await f.call("PUT", "/admin/v1/tenants/ten_ops/settings", f.op.key, maskSsn)).status).toBe(200);
    vi.restoreAllMocks();
  });

  it("refuses hashing assembled across layers, and lets a tenant that already hashes change other settings", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const f = await adminFixture({ ENVIRONMENT: "production" });
    // Hash entities while PII is off hash nothing, so the tenant layer is accepted...
    const off = { guardrails: { pii: { enabled: false, entities: { US_SSN: "hash" } } } };
    expect((await f.call("PUT", "/admin/v1/tenants/ten_ops/settings", f.op.key, off)).status).toBe(200);
    // ...but a feature layer switching PII on would make that feature hash: refused.
    const on = await f.call("PUT", "/admin/v1/tenants/ten_ops/settings?feature=search", f.op.key, { guardrails: { pii: { enabled: true } } });
    expect([on.status, on.json.error?.code]).toEqual([400, "pii_hash_key_missing"]);
    // A policy that hashed before the write (stored while a key was set) may change other sections.
    await f.db.prepare("UPDATE tenant_settings SET settings_json = ?1 WHERE tenant_id = 'ten_ops' AND feature = ''").bind(JSON.stringify(hashSsn)).run();
    expect((await f.call("PUT", "/admin/v1/tenants/ten_ops/settings", f.op.key, { ...hashSsn, cache: { enabled: false } })).status).toBe(200);
    vi.restoreAllMocks();
  });

  it("accepts hash where the deployment has a key, and on a local stack", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const keyed = await adminFixture({ ENVIRONMENT: "production", PII_HASH_KEY: "a-deployment-secret-of-forty-characters!!" });
    expect((await keyed.call("PUT", "/admin/v1/tenants/ten_ops/settings", keyed.op.key, hashSsn)).status).toBe(200);
    const local = await adminFixture({ ENVIRONMENT: "local" });
    expect((await local.call("PUT", "/admin/v1/tenants/ten_ops/settings", local.op.key, hashSsn)).status).toBe(200);
    vi.restoreAllMocks();
  });
});
