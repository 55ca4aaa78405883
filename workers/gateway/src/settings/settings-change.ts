/**
 * The effective settings a PUT of one layer changes, before and after (for the content-grant
 * rule, auth/redaction-grants.ts): a feature layer changes that feature; the tenant-wide layer
 * changes the tenant-wide settings and every feature layer merged over it.
 */
import type { SettingsChange } from "../auth/redaction-grants";
import { loadFeatureLayers, loadLayers, resolveLayers } from "./settings-store";
import { DEFAULT_TENANT_SETTINGS, resolveSettings, type TenantSettings, type TenantSettingsInput } from "./tenant-settings";

/** What is in force now; a stored layer that no longer validates counts as the defaults. */
function inForce(layers: TenantSettingsInput[]): TenantSettings {
  try {
    return resolveLayers(layers);
  } catch {
    return DEFAULT_TENANT_SETTINGS;
  }
}

/** Call after the new layer was validated in every merge (resolveSettings throws otherwise). */
export async function settingsChanges(db: D1Database, tenantId: string, feature: string | null, input: TenantSettingsInput): Promise<SettingsChange[]> {
  const tenantWide = await loadLayers(db, tenantId, null);
  if (feature !== null) {
    return [{ feature, before: inForce(await loadLayers(db, tenantId, feature)), after: resolveSettings([...tenantWide, input]) }];
  }
  const features = await loadFeatureLayers(db, tenantId);
  return [
    { feature: null, before: inForce(tenantWide), after: resolveSettings([input]) },
    ...features.map((f) => ({ feature: f.feature, before: inForce([...tenantWide, f.settings]), after: resolveSettings([input, f.settings]) })),
  ];
}
