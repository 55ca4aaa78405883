/**
 * Seeds a tenant and one key through a D1 binding: used by scripts/seed-dev.ts's Miniflare
 * path and the lead's integration harness. Creating the tenant is idempotent by id.
 */
import type { Role } from "../app-env";
import { batchWithAudit } from "../../../../shared/audit/hash-chain";
import { createKey } from "./key-service";
import { getTenant, insertTenantStmt, newTenantId } from "./repository";

export interface SeedTenantInput {
  name: string;
  role: Role;
  tenantId?: string;
  scopes?: string[];
  models?: string[];
  tiers?: string[];
  features?: string[];
  keyName?: string;
  /** Unix ms; default never. */
  expiresAt?: number;
  /** The `<env>` part of the key; default "local". */
  env?: string;
}

export async function seedTenant(db: D1Database, input: SeedTenantInput): Promise<{ tenantId: string; keyId: string; key: string }> {
  const now = Date.now();
  const tenantId = input.tenantId ?? newTenantId();
  if (!(await getTenant(db, tenantId))) {
    const tenant = { id: tenantId, name: input.name, created_at: now };
    await batchWithAudit(db, [insertTenantStmt(db, tenant)], tenantId, { action: "tenant.created", actor: "seed", target: tenantId }, now);
  }
  const created = await createKey(
    db,
    tenantId,
    {
      role: input.role,
      ...(input.scopes ? { scopes: input.scopes } : {}),
      ...(input.models ? { models: input.models } : {}),
      ...(input.tiers ? { tiers: input.tiers } : {}),
      ...(input.features ? { features: input.features } : {}),
      ...(input.keyName ? { name: input.keyName } : {}),
      ...(input.expiresAt !== undefined ? { expires_at: Math.ceil(input.expiresAt / 1000) } : {}),
    },
    { actor: "seed", env: input.env ?? "local", now },
  );
  return { tenantId, keyId: created.id, key: created.key };
}
