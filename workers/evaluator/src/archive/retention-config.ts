/**
 * Each tenant's retention: the `retention` section of its tenant-wide settings row, field by
 * field over the deployment's defaults (`RETENTION_DEFAULTS`, itself over the schema's). A row
 * that does not parse keeps the defaults (logged): archiving too late is safe, too early is not.
 */
import { DEFAULT_RETENTION, RetentionInputSchema, type Retention } from "../../../../shared/schemas/retention";

export function parseRetentionDefaults(raw: unknown): Retention {
  if (typeof raw !== "string" || raw.trim() === "") return DEFAULT_RETENTION;
  try {
    return { ...DEFAULT_RETENTION, ...RetentionInputSchema.parse(JSON.parse(raw)) };
  } catch (err) {
    console.error(JSON.stringify({ msg: "RETENTION_DEFAULTS invalid, using the built-in defaults", error: String(err).slice(0, 300) }));
    return DEFAULT_RETENTION;
  }
}

/** Tenants with their own retention; every other tenant gets `defaults`. */
export async function loadTenantRetention(db: D1Database, defaults: Retention): Promise<Map<string, Retention>> {
  const { results } = await db
    .prepare("SELECT tenant_id, settings_json FROM tenant_settings WHERE feature = '' AND instr(settings_json, '\"retention\"') > 0")
    .all<{ tenant_id: string; settings_json: string }>();
  const out = new Map<string, Retention>();
  for (const row of results) {
    try {
      const section = (JSON.parse(row.settings_json) as { retention?: unknown }).retention;
      out.set(row.tenant_id, { ...defaults, ...RetentionInputSchema.parse(section ?? {}) });
    } catch {
      console.error(JSON.stringify({ msg: "tenant retention invalid, using the defaults", tenantId: row.tenant_id }));
    }
  }
  return out;
}
