/**
 * Reads a tenant's settings layers from D1 with a short in-isolate cache: settings change
 * rarely and every request needs them, so one D1 read per tenant+feature per TTL. Writes go
 * through the admin API, which validates the merged result before storing.
 */
import { TenantSettingsInputSchema, resolveSettings, type TenantSettings, type TenantSettingsInput } from "./tenant-settings";

export const SETTINGS_TTL_MS = 5_000;
const cache = new Map<string, { at: number; value: TenantSettings }>();

export async function loadLayers(db: D1Database, tenantId: string, feature: string | null): Promise<TenantSettingsInput[]> {
  const rows = await db
    .prepare("SELECT feature, settings_json FROM tenant_settings WHERE tenant_id = ?1 AND feature IN ('', ?2) ORDER BY feature")
    .bind(tenantId, feature ?? "")
    .all<{ feature: string; settings_json: string }>();
  return rows.results.map((r) => TenantSettingsInputSchema.parse(JSON.parse(r.settings_json)));
}

export async function settingsFor(db: D1Database, tenantId: string, feature: string | null, now = Date.now()): Promise<TenantSettings> {
  const key = `${tenantId}\u0000${feature ?? ""}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < SETTINGS_TTL_MS) return hit.value;
  const value = resolveSettings(await loadLayers(db, tenantId, feature));
  cache.set(key, { at: now, value });
  return value;
}

export function putSettingsStmt(db: D1Database, tenantId: string, feature: string | null, input: TenantSettingsInput, now: number): D1PreparedStatement {
  return db
    .prepare(
      "INSERT INTO tenant_settings (tenant_id, feature, settings_json, updated_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (tenant_id, feature) DO UPDATE SET settings_json = excluded.settings_json, updated_at = excluded.updated_at",
    )
    .bind(tenantId, feature ?? "", JSON.stringify(input), now);
}
