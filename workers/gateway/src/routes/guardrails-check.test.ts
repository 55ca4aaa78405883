/** POST /v1/guardrails/check and the `hash` action's deployment key (guardrails/redact/hash-key.ts). */
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetConfigWarnings } from "../../../../shared/config-warning";
import type { AppEnv } from "../app-env";
import { createTestApp, createTestEnv } from "../auth/testing/test-app";
import { putSettingsStmt } from "../settings/settings-store";
import { guardrailsCheckRoutes } from "./guardrails-check";

const KEY = "lantern-row-pii-hash-key-5c1d9e3f7a2b4c6d8e0f";
const TEXT = "Call the landlord on 212-555-0187 about the boiler.";
let tenantSeq = 0;

afterEach(() => {
  resetConfigWarnings();
  vi.restoreAllMocks();
});

/** The token node:crypto makes for TEXT's phone number under `secret` (guardrails/redact/hash-key.ts derivation). */
function referenceToken(secret: string, tenantId: string): string {
  const tenantKey = createHmac("sha256", secret).update(`pii-hash v1\u0000${tenantId}`).digest();
  return `<PHONE_NUMBER:${createHmac("sha256", tenantKey).update("PHONE_NUMBER\u0000212-555-0187").digest("hex").slice(0, 12)}>`;
}

async function check(action: "hash" | "mask", env: Record<string, unknown>, pii: Record<string, unknown> = {}) {
  // A fresh tenant per call: settings are cached per isolate and tenant for a few seconds.
  const tenantId = `ten_check_${++tenantSeq}`;
  const { env: base, db } = createTestEnv(env);
  await db.prepare("INSERT INTO tenants (id, name, created_at) VALUES (?1, ?1, 0)").bind(tenantId).run();
  await putSettingsStmt(db, tenantId, null, { guardrails: { pii: { ...pii, entities: { PHONE_NUMBER: action } } } }, Date.now()).run();
  const app = createTestApp();
  app.use(async (c, next) => {
    c.set("auth", { tenantId, keyId: "key_check", role: "developer", scopes: [], models: null, tiers: null, features: null });
    await next();
  });
  app.route("/", guardrailsCheckRoutes as never);
  const res = await app.request("/v1/guardrails/check", { method: "POST", body: JSON.stringify({ text: TEXT, checks: ["pii"] }), headers: { "content-type": "application/json" } }, base as unknown as AppEnv["Bindings"]);
  const body = (await res.json()) as { redacted?: string; pii?: Array<{ type: string }>; error?: { type: string; code: string; message: string } };
  return { status: res.status, body, tenantId };
}

describe("POST /v1/guardrails/check with a hash policy", () => {
  it("hashes with PII_HASH_KEY in production: the token is the reference derivation under that key", async () => {
    const { status, body, tenantId } = await check("hash", { ENVIRONMENT: "production", PII_HASH_KEY: KEY });
    expect(status).toBe(200);
    expect(body.redacted).toBe(`Call the landlord on ${referenceToken(KEY, tenantId)} about the boiler.`);
    const other = `${KEY}-rotated`;
    const rotated = await check("hash", { ENVIRONMENT: "production", PII_HASH_KEY: other });
    expect(rotated.body.redacted).toBe(`Call the landlord on ${referenceToken(other, rotated.tenantId)} about the boiler.`);
    expect(referenceToken(other, tenantId)).not.toBe(referenceToken(KEY, tenantId));
  });

  it("honours pii.enabled as chat does: PII off, no key in production -> 200 with the text untouched (review s12-sec finding 5)", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { status, body } = await check("hash", { ENVIRONMENT: "production" }, { enabled: false });
    expect(status).toBe(200);
    expect(body.redacted).toBe(TEXT);
    expect(body.pii?.map((f) => f.type)).toContain("PHONE_NUMBER");
  });

  it("is refused with an OpenAI-style 503 when production has no PII_HASH_KEY", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { status, body } = await check("hash", { ENVIRONMENT: "production" });
    expect(status).toBe(503);
    expect(body.error).toMatchObject({ type: "api_error", code: "pii_hash_key_missing" });
    expect(body.error?.message).toMatch(/redact or mask/);
    expect(JSON.stringify(body)).not.toContain("212-555-0187");
  });

  it("still serves a policy without hash when production has no PII_HASH_KEY", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { status, body } = await check("mask", { ENVIRONMENT: "production" });
    expect(status).toBe(200);
    expect(body.redacted).not.toContain("212-555-0187");
  });
});
