/**
 * Key lifecycle as domain functions (create, revoke, rotate), each one D1 batch together with
 * its audit row, so an admin call either fully happens and is audited, or leaves no trace.
 */
import { z } from "zod";
import { GatewayError } from "../../../../shared/errors";
import { ROLES } from "../app-env";
import { batchWithAudit } from "../../../../shared/audit/hash-chain";
import { manageKeyViolation, type Grantor } from "./grants";
import { generateApiKey } from "./keys";
import { expireKeyStmt, getKey, insertKeyStmt, newKeyId, revokeKeyStmt, type KeySummary } from "./repository";

const AllowList = z.array(z.string().min(1).max(128)).max(100);

export const CreateKeyInputSchema = z.strictObject({
  role: z.enum(ROLES),
  name: z.string().min(1).max(100).optional(),
  models: AllowList.optional(),
  tiers: AllowList.optional(),
  features: AllowList.optional(),
  scopes: z.array(z.string().regex(/^[a-z][a-z0-9_.:*-]{0,63}$/)).max(32).optional(),
  /** Unix seconds (like OpenAI's `created`) or ISO 8601; must be in the future. */
  expires_at: z.union([z.number().int().positive().max(4_102_444_800), z.iso.datetime({ offset: true })]).optional(),
});
export type CreateKeyInput = z.infer<typeof CreateKeyInputSchema>;

/**
 * Without a body the old key keeps working for 5 minutes: long enough for a client to pick up
 * the new secret, short enough not to matter much. Rotating because a key leaked? Send
 * `grace_seconds: 0` (or revoke it), which ends the old key at once.
 */
export const DEFAULT_ROTATION_GRACE_SECONDS = 300;

export const RotateKeyInputSchema = z.strictObject({
  /** Keep the old key working this long so clients can switch; 0 = revoke now. Max 7 days. */
  grace_seconds: z.number().int().min(0).max(7 * 24 * 3600).default(DEFAULT_ROTATION_GRACE_SECONDS),
});

export function expiresAtMs(v: CreateKeyInput["expires_at"]): number | null {
  if (v === undefined) return null;
  return typeof v === "number" ? v * 1000 : Date.parse(v);
}

export interface CreatedKey {
  id: string;
  key: string;
  prefix: string;
}

export async function createKey(
  db: D1Database,
  tenantId: string,
  input: CreateKeyInput,
  ctx: { actor: string; env: string; now: number; id?: string; rotatedFrom?: string; extra?: D1PreparedStatement[] },
): Promise<CreatedKey> {
  const generated = await generateApiKey(ctx.env);
  const id = ctx.id ?? newKeyId();
  const stmt = insertKeyStmt(db, tenantId, {
    id,
    prefix: generated.prefix,
    hash: generated.hash,
    role: input.role,
    scopes: input.scopes ?? [],
    models: input.models ?? null,
    tiers: input.tiers ?? null,
    features: input.features ?? null,
    name: input.name ?? null,
    createdAt: ctx.now,
    expiresAt: expiresAtMs(input.expires_at),
    rotatedFrom: ctx.rotatedFrom ?? null,
  });
  const action = ctx.rotatedFrom ? "key.rotated" : "key.created";
  const detail = { role: input.role, prefix: generated.prefix, ...(ctx.rotatedFrom ? { from: ctx.rotatedFrom } : {}) };
  await batchWithAudit(db, [stmt, ...(ctx.extra ?? [])], tenantId, { action, actor: ctx.actor, target: id, detail }, ctx.now);
  return { id, key: generated.key, prefix: generated.prefix };
}

/**
 * Copies the predecessor's key-scoped budgets to the successor, in the rotation's batch, so a
 * rotated key keeps its caps (issue 19 item 6). Every column is copied except the key id and
 * updated_at; the list is read from the schema so columns later migrations add to `budgets`
 * (owned by limits/) are inherited without this file knowing them.
 */
async function inheritKeyBudgetsStmt(db: D1Database, tenantId: string, fromKeyId: string, toKeyId: string, now: number): Promise<D1PreparedStatement> {
  const { results } = await db.prepare("PRAGMA table_info(budgets)").all<{ name: string }>();
  const cols = results.map((r) => r.name);
  const quoted = cols.map((c) => `"${c.replaceAll('"', '""')}"`);
  const values = cols.map((c, i) => (c === "scope_id" ? "?3" : c === "updated_at" ? "?4" : quoted[i]));
  return db
    .prepare(`INSERT INTO budgets (${quoted.join(", ")}) SELECT ${values.join(", ")} FROM budgets WHERE tenant_id = ?1 AND scope = 'key' AND scope_id = ?2`)
    .bind(tenantId, fromKeyId, toKeyId, now);
}

/** 403 unless `by` could have minted `key` (grants.ts); checked before anything is written. */
function assertMayManage(by: Grantor, key: KeySummary): void {
  const v = manageKeyViolation(by, key);
  if (v) throw new GatewayError("forbidden", v.message, { param: v.param });
}

export async function revokeKey(db: D1Database, tenantId: string, keyId: string, ctx: { actor: string; now: number; by: Grantor }): Promise<KeySummary | null> {
  const key = await getKey(db, tenantId, keyId);
  if (!key) return null;
  assertMayManage(ctx.by, key);
  if (key.revoked_at !== null) return key;
  await batchWithAudit(db, [revokeKeyStmt(db, tenantId, keyId, ctx.now)], tenantId, { action: "key.revoked", actor: ctx.actor, target: keyId }, ctx.now);
  return getKey(db, tenantId, keyId);
}

/**
 * New secret, same grants, same key budgets. The old key ends after `graceSeconds` so clients can roll over
 * without an outage (0 = revoke now). Rotating mints a key with the old key's grants, so the
 * caller must be one that could have minted it (the escalation of issue 19: a scope-less admin
 * rotating an operator key got a fresh operator secret).
 */
export async function rotateKey(
  db: D1Database,
  tenantId: string,
  keyId: string,
  ctx: { actor: string; env: string; now: number; graceSeconds: number; by: Grantor },
): Promise<(CreatedKey & { old: KeySummary }) | null> {
  const old = await getKey(db, tenantId, keyId);
  if (old) assertMayManage(ctx.by, old);
  if (!old || old.revoked_at !== null || (old.expires_at !== null && old.expires_at <= ctx.now)) return null;
  const input: CreateKeyInput = { role: old.role, scopes: old.scopes, ...(old.name ? { name: old.name } : {}) };
  if (old.models) input.models = old.models;
  if (old.tiers) input.tiers = old.tiers;
  if (old.features) input.features = old.features;
  if (old.expires_at !== null) input.expires_at = Math.ceil(old.expires_at / 1000);
  const retire = ctx.graceSeconds > 0 ? expireKeyStmt(db, tenantId, keyId, ctx.now + ctx.graceSeconds * 1000) : revokeKeyStmt(db, tenantId, keyId, ctx.now);
  const id = newKeyId();
  const budgets = await inheritKeyBudgetsStmt(db, tenantId, keyId, id, ctx.now);
  const created = await createKey(db, tenantId, input, { ...ctx, id, rotatedFrom: keyId, extra: [retire, budgets] });
  return { ...created, old };
}
