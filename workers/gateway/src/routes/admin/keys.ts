import type { Context, Hono } from "hono";
import { GatewayError } from "../../../../../shared/errors";
import type { AccessEnv } from "../../auth/access-env";
import { defaultKeyCache } from "../../auth/key-lookup";
import { canonicalAllowLists } from "../../auth/allow-lists";
import { grantViolation } from "../../auth/grants";
import { CreateKeyInputSchema, createKey, expiresAtMs, revokeKey, RotateKeyInputSchema, rotateKey } from "../../auth/key-service";
import { listKeys, locateKeyTenant, type KeySummary } from "../../auth/repository";
import { registryFor } from "../../config/registry-loader";
import { actorOf, anchorLater, assertTenantAccess, keyEnvOf, keyGrantorOf, parseBody, refuse, requireTenant } from "./helpers";
import { KeyIdSchema } from "./schemas";

/** Public view of a key: never the hash, only the masked prefix. */
export function keyView(k: KeySummary) {
  return {
    id: k.id,
    tenant_id: k.tenant_id,
    prefix: k.key_prefix,
    name: k.name,
    role: k.role,
    scopes: k.scopes,
    models: k.models,
    tiers: k.tiers,
    features: k.features,
    created_at: k.created_at,
    expires_at: k.expires_at,
    revoked_at: k.revoked_at,
    rotated_from: k.rotated_from,
  };
}

async function keyTenant(c: Context<AccessEnv>): Promise<{ keyId: string; tenantId: string }> {
  const id = KeyIdSchema.safeParse(c.req.param("id"));
  if (!id.success) throw new GatewayError("not_found", "Key not found.");
  const tenantId = await locateKeyTenant(c.env.DB, id.data);
  assertTenantAccess(c, tenantId);
  return { keyId: id.data, tenantId };
}

export function registerKeyRoutes(app: Hono<AccessEnv>): void {
  app.post("/tenants/:id/keys", async (c) => {
    const tenant = await requireTenant(c, c.req.param("id"));
    const body = canonicalAllowLists(registryFor(c.env), await parseBody(c, CreateKeyInputSchema));
    const now = Date.now();
    const exp = expiresAtMs(body.expires_at);
    if (exp !== null && (!Number.isFinite(exp) || exp <= now)) throw new GatewayError("invalid_request", "expires_at must be in the future.", { param: "expires_at" });
    refuse(grantViolation(await keyGrantorOf(c), { ...body, expiresAt: exp }));
    const created = await createKey(c.env.DB, tenant.id, body, { actor: actorOf(c), env: keyEnvOf(c), now });
    anchorLater(c, now);
    // The only time the key is ever shown.
    return c.json({ id: created.id, key: created.key, prefix: created.prefix, tenant_id: tenant.id, role: body.role, expires_at: exp }, 201);
  });

  app.get("/tenants/:id/keys", async (c) => {
    const tenant = await requireTenant(c, c.req.param("id"));
    return c.json({ object: "list", data: (await listKeys(c.env.DB, tenant.id)).map(keyView) });
  });

  app.delete("/keys/:id", async (c) => {
    const { keyId, tenantId } = await keyTenant(c);
    const now = Date.now();
    const key = await revokeKey(c.env.DB, tenantId, keyId, { actor: actorOf(c), now, by: await keyGrantorOf(c) });
    if (!key) throw new GatewayError("not_found", "Key not found.");
    defaultKeyCache.invalidate(key.key_prefix);
    anchorLater(c, now);
    return c.json(keyView(key));
  });

  app.post("/keys/:id/rotate", async (c) => {
    const { keyId, tenantId } = await keyTenant(c);
    const body = await parseBody(c, RotateKeyInputSchema, true);
    const now = Date.now();
    let rotated: Awaited<ReturnType<typeof rotateKey>>;
    try {
      rotated = await rotateKey(c.env.DB, tenantId, keyId, { actor: actorOf(c), env: keyEnvOf(c), now, graceSeconds: body.grace_seconds, by: await keyGrantorOf(c) });
    } catch (err) {
      // A concurrent rotation won (one successor per key, migration 0052): nothing was written.
      const detail = err instanceof Error ? `${err.message} ${String(err.cause ?? "")}` : String(err);
      if (/UNIQUE constraint failed: api_keys\.rotated_from/i.test(detail)) throw new GatewayError("conflict", "This key was already rotated; rotate its successor instead.");
      throw err;
    }
    if (!rotated) throw new GatewayError("conflict", "Only an active key can be rotated.");
    if (body.grace_seconds === 0) defaultKeyCache.invalidate(rotated.old.key_prefix);
    anchorLater(c, now);
    // The grace period never extends an earlier expiry (expireKeyStmt keeps the minimum).
    const graceEnd = now + body.grace_seconds * 1000;
    const oldExpires = rotated.old.expires_at === null ? graceEnd : Math.min(rotated.old.expires_at, graceEnd);
    return c.json({ id: rotated.id, key: rotated.key, prefix: rotated.prefix, rotated_from: keyId, old_key_expires_at: oldExpires }, 201);
  });
}
