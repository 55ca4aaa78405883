/**
 * Plants API keys and encryption secrets, drives auth failures and admin calls, captures every
 * console line and scans it: no key secret, no full key, no key hash, no encryption key.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { generateKeySpec } from "../../../../shared/crypto/envelope";
import { adminFixture } from "../routes/admin/testing";
import { hashApiKey } from "./keys";
import { seedTenant } from "./seed-tenant";

const captured: string[] = [];
beforeEach(() => {
  captured.length = 0;
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void captured.push(args.map(String).join(" ")));
  }
});
afterEach(() => vi.restoreAllMocks());

describe("no secrets or key material in logs", () => {
  it("during auth failures and admin calls", async () => {
    const f = await adminFixture();
    const encKey = generateKeySpec("k1");
    Object.assign(f.env, { CONTENT_ENCRYPTION_KEYS: encKey, UPSTREAM_API_KEY: "sk-planted-upstream-secret-1234567890" });
    const victim = await seedTenant(f.db, { name: "victim", role: "service" });
    const secret = victim.key.split("_").at(-1)!;
    const forged = victim.key.slice(0, -6) + "aaaaaa";
    for (const k of [victim.key.toUpperCase(), forged, `${victim.key}x`, "gw_local_zzzzzzzzzzzz_" + secret, secret]) await f.call("GET", "/v1/models", k);
    const created = await f.call("POST", `/admin/v1/tenants/${victim.tenantId}/keys`, f.op.key, { role: "viewer" });
    const newKey = created.json.key as string;
    await f.call("POST", `/admin/v1/keys/${victim.keyId}/rotate`, f.op.key);
    await f.call("DELETE", `/admin/v1/keys/${created.json.id}`, f.op.key);
    await f.call("GET", "/v1/models", victim.key); // still accepted: rotation without a body keeps the old key for a 300 s grace (DEFAULT_ROTATION_GRACE_SECONDS)
    await f.call("GET", "/v1/models", newKey); // revoked
    await f.call("POST", "/admin/v1/tenants", f.op.key, `{"name": "${victim.key}"`); // malformed JSON holding a key
    expect(captured.length).toBeGreaterThan(0); // the failures were logged, just not the secrets
    const logs = captured.join("\n");
    const planted = [victim.key, secret, newKey, newKey.split("_").at(-1)!, f.op.key, f.op.key.split("_").at(-1)!, await hashApiKey(victim.key), encKey.split(":")[1]!, "sk-planted-upstream-secret"];
    for (const p of planted) expect(logs).not.toContain(p);
    expect(logs.toLowerCase()).not.toContain(secret.toLowerCase().slice(0, 24));
  });
});
