/**
 * The data-access layer for tenants and keys. Every query that reads or writes tenant data
 * takes the tenant id and puts it in the WHERE clause, so a handler cannot forget it.
 * Two deliberate exceptions, both named as such: `findKeyByPrefix` (auth bootstrap: there is no
 * tenant before the key is resolved) and the operator-only `listAllTenants` / `locateKeyTenant`.
 */
import { z } from "zod";
import { ROLES, type Role } from "../app-env";
import { randomBase32 } from "./keys";

const JsonList = z
  .string()
  .nullable()
  .transform((s, ctx) => {
    if (s === null) return null;
    const parsed = z.array(z.string()).safeParse(JSON.parse(s));
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: "bad JSON list" });
      return z.NEVER;
    }
    return parsed.data;
  });

export const TenantRowSchema = z.object({ id: z.string(), name: z.string(), created_at: z.number() });
export type TenantRow = z.infer<typeof TenantRowSchema>;

const KeyBase = {
  id: z.string(),
  tenant_id: z.string(),
  key_prefix: z.string(),
  role: z.enum(ROLES),
  scopes: JsonList.transform((v) => v ?? []),
  models: JsonList,
  tiers: JsonList,
  features: JsonList,
  name: z.string().nullable(),
  created_at: z.number(),
  expires_at: z.number().nullable(),
  revoked_at: z.number().nullable(),
  rotated_from: z.string().nullable(),
};
export const KeySummarySchema = z.object(KeyBase);
export type KeySummary = z.infer<typeof KeySummarySchema>;

const nullableInt = z.number().int().nullable();
/** What auth needs per request: the key, its hash, and its tenant's rate limits (one query). */
export const KeyLookupRowSchema = z.object({
  ...KeyBase,
  key_hash: z.string(),
  tenant_requests_per_minute: nullableInt,
  tenant_tokens_per_minute: nullableInt,
  key_requests_per_minute: nullableInt,
  key_tokens_per_minute: nullableInt,
  limiter_fail_mode: z.enum(["open", "closed"]).nullable(),
});
export type KeyLookupRow = z.infer<typeof KeyLookupRowSchema>;

const KEY_COLUMNS =
  "k.id, k.tenant_id, k.key_prefix, k.role, k.scopes, k.models, k.tiers, k.features, k.name, k.created_at, k.expires_at, k.revoked_at, k.rotated_from";

export const newTenantId = (): string => `ten_${randomBase32(16)}`;
export const newKeyId = (): string => `key_${randomBase32(16)}`;

export function insertTenantStmt(db: D1Database, tenant: TenantRow): D1PreparedStatement {
  return db.prepare("INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)").bind(tenant.id, tenant.name, tenant.created_at);
}

export async function getTenant(db: D1Database, tenantId: string): Promise<TenantRow | null> {
  const row = await db.prepare("SELECT id, name, created_at FROM tenants WHERE id = ?").bind(tenantId).first();
  return row ? TenantRowSchema.parse(row) : null;
}

/** Operator-only: every tenant. Callers must have checked the `tenants:manage` scope. */
export async function listAllTenants(db: D1Database, limit = 100): Promise<TenantRow[]> {
  const { results } = await db.prepare("SELECT id, name, created_at FROM tenants ORDER BY created_at, id LIMIT ?").bind(limit).all();
  return z.array(TenantRowSchema).parse(results);
}

export interface NewKey {
  id: string;
  prefix: string;
  hash: string;
  role: Role;
  scopes: readonly string[];
  models: readonly string[] | null;
  tiers: readonly string[] | null;
  features: readonly string[] | null;
  name: string | null;
  createdAt: number;
  expiresAt: number | null;
  rotatedFrom: string | null;
}

const listOrNull = (v: readonly string[] | null): string | null => (v === null ? null : JSON.stringify(v));

export function insertKeyStmt(db: D1Database, tenantId: string, k: NewKey): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO api_keys (id, tenant_id, key_prefix, key_hash, role, scopes, models, tiers, features, name, created_at, expires_at, rotated_from)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      k.id, tenantId, k.prefix, k.hash, k.role, JSON.stringify(k.scopes), listOrNull(k.models), listOrNull(k.tiers),
      listOrNull(k.features), k.name, k.createdAt, k.expiresAt, k.rotatedFrom,
    );
}

export async function listKeys(db: D1Database, tenantId: string, limit = 200): Promise<KeySummary[]> {
  const { results } = await db
    .prepare(`SELECT ${KEY_COLUMNS} FROM api_keys k WHERE k.tenant_id = ? ORDER BY k.created_at, k.id LIMIT ?`)
    .bind(tenantId, limit)
    .all();
  return z.array(KeySummarySchema).parse(results);
}

export async function getKey(db: D1Database, tenantId: string, keyId: string): Promise<KeySummary | null> {
  const row = await db.prepare(`SELECT ${KEY_COLUMNS} FROM api_keys k WHERE k.tenant_id = ? AND k.id = ?`).bind(tenantId, keyId).first();
  return row ? KeySummarySchema.parse(row) : null;
}

/** Operator-only: which tenant owns a key id (for /admin/v1/keys/{id} routes). */
export async function locateKeyTenant(db: D1Database, keyId: string): Promise<string | null> {
  return db.prepare("SELECT tenant_id FROM api_keys WHERE id = ?").bind(keyId).first<string>("tenant_id");
}

/** Revokes unless already revoked; the earlier revocation time wins. */
export function revokeKeyStmt(db: D1Database, tenantId: string, keyId: string, now: number): D1PreparedStatement {
  return db
    .prepare("UPDATE api_keys SET revoked_at = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL")
    .bind(now, tenantId, keyId);
}

/** Ends a rotated key's life at `at` (a grace period), never extending an earlier expiry. */
export function expireKeyStmt(db: D1Database, tenantId: string, keyId: string, at: number): D1PreparedStatement {
  return db
    .prepare("UPDATE api_keys SET expires_at = MIN(COALESCE(expires_at, ?), ?) WHERE tenant_id = ? AND id = ?")
    .bind(at, at, tenantId, keyId);
}

/** Auth bootstrap: the only key read without a tenant (the tenant is what it resolves). */
export async function findKeyByPrefix(db: D1Database, prefix: string): Promise<KeyLookupRow | null> {
  const row = await db
    .prepare(
      `SELECT ${KEY_COLUMNS}, k.key_hash, l.tenant_requests_per_minute, l.tenant_tokens_per_minute,
              l.key_requests_per_minute, l.key_tokens_per_minute, l.limiter_fail_mode
       FROM api_keys k LEFT JOIN tenant_limits l ON l.tenant_id = k.tenant_id
       WHERE k.key_prefix = ?`,
    )
    .bind(prefix)
    .first();
  return row ? KeyLookupRowSchema.parse(row) : null;
}
