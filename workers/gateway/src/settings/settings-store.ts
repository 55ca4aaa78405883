/**
 * Reads a tenant's settings layers from D1 with a short in-isolate cache: settings change
 * rarely and every request needs them, so one D1 read per tenant+feature per TTL. Writes go
 * through the admin API, which validates the merged result before storing.
 */
import { TtlCache } from "../../../../shared/ttl-cache";
import { TenantSettingsInputSchema, resolveSettings, type TenantSettings, type TenantSettingsInput } from "./tenant-settings";

export const SETTINGS_TTL_MS = 5_000;
// Keyed by tenant and feature, and the feature is whatever X-Feature a caller sends: bounded.
const newCache = (ttlMs: number) => new TtlCache<TenantSettings>({ ttlMs, maxEntries: 10_000 });
let cache = newCache(SETTINGS_TTL_MS);

/**
 * The isolate's settings TTL from the var SETTINGS_TTL_MS (not in wrangler.toml: production
 * keeps 5 s). Tests that change settings mid-run set it small instead of sleeping out 5 s.
 * A missing or unusable value keeps the default. Returns the TTL in force.
 */
export function configureSettingsTtl(raw: string | undefined): number {
  const n = raw === undefined || raw.trim() === "" ? Number.NaN : Number(raw);
  const ttlMs = Number.isFinite(n) && n >= 0 ? n : SETTINGS_TTL_MS;
  cache = newCache(ttlMs);
  return ttlMs;
}

export async function loadLayers(db: D1Database, tenantId: string, feature: string | null): Promise<TenantSettingsInput[]> {
  const rows = await db
    .prepare("SELECT feature, settings_json FROM tenant_settings WHERE tenant_id = ?1 AND feature IN ('', ?2) ORDER BY feature")
    .bind(tenantId, feature ?? "")
    .all<{ feature: string; settings_json: string }>();
  return rows.results.map((r) => TenantSettingsInputSchema.parse(JSON.parse(r.settings_json)));
}

export function settingsFor(db: D1Database, tenantId: string, feature: string | null, now = Date.now()): Promise<TenantSettings> {
  return cache.get(`${tenantId}\u0000${feature ?? ""}`, now, async () => resolveLayers(await loadLayers(db, tenantId, feature)));
}

/**
 * The effective settings of stored layers. Writes validate every merge (routes/admin-operations),
 * but a feature layer stored before that check could clash with today's tenant-wide layer: that
 * feature then runs on the tenant-wide settings (logged) rather than failing every request.
 */
export function resolveLayers(layers: TenantSettingsInput[]): TenantSettings {
  try {
    return resolveSettings(layers);
  } catch (err) {
    if (layers.length < 2) throw err;
    console.warn(JSON.stringify({ event: "feature_settings_invalid", error: String(err).slice(0, 300) }));
    return resolveSettings(layers.slice(0, 1));
  }
}

/** Every feature layer of a tenant (to check them against a new tenant-wide layer). */
/** The stored layer of one scope (the tenant-wide one when `feature` is null), or null. */
export async function storedLayer(db: D1Database, tenantId: string, feature: string | null): Promise<TenantSettingsInput | null> {
  const row = await db.prepare("SELECT settings_json FROM tenant_settings WHERE tenant_id = ?1 AND feature = ?2").bind(tenantId, feature ?? "").first<{ settings_json: string }>();
  return row ? TenantSettingsInputSchema.parse(JSON.parse(row.settings_json)) : null;
}

export async function loadFeatureLayers(db: D1Database, tenantId: string): Promise<Array<{ feature: string; settings: TenantSettingsInput }>> {
  const rows = await db
    .prepare("SELECT feature, settings_json FROM tenant_settings WHERE tenant_id = ?1 AND feature != '' ORDER BY feature LIMIT 10000")
    .bind(tenantId)
    .all<{ feature: string; settings_json: string }>();
  return rows.results.map((r) => ({ feature: r.feature, settings: TenantSettingsInputSchema.parse(JSON.parse(r.settings_json)) }));
}

export function putSettingsStmt(db: D1Database, tenantId: string, feature: string | null, input: TenantSettingsInput, now: number): D1PreparedStatement {
  return db
    .prepare(
      "INSERT INTO tenant_settings (tenant_id, feature, settings_json, updated_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (tenant_id, feature) DO UPDATE SET settings_json = excluded.settings_json, updated_at = excluded.updated_at",
    )
    .bind(tenantId, feature ?? "", JSON.stringify(input), now);
}
