/**
 * One tenant's request-path policy: guardrails, cache and router sections, layered
 * defaults <- tenant-wide row <- feature row. Rows hold partial inputs; the section schemas
 * supply every default, so a tenant with no rows gets the documented defaults. The `retention`
 * section (how long per-request rows stay in D1) is tenant-wide only; the evaluator's archive
 * reads it and fills the deployment's defaults (RETENTION_DEFAULTS).
 */
import { z } from "zod";
import { RetentionInputSchema, type RetentionInput } from "../../../../shared/schemas/retention";
import { GuardrailSettingsSchema, type GuardrailSettings } from "../guardrails";
import { RouterSettingsSchema, type RouterSettings } from "../router/settings";
import { PartialPolicySchema } from "../cache/settings";
import { TelemetrySettingsSchema, type TelemetrySettings } from "../telemetry/otel/settings";
import { DatasetSettingsSchema, type DatasetSettings } from "../usage/dataset-settings";

const JsonObject = z.record(z.string(), z.unknown());

/** What the admin API accepts and a row stores: partial inputs per section. */
export const TenantSettingsInputSchema = z
  .object({ guardrails: JsonObject.optional(), cache: JsonObject.optional(), router: JsonObject.optional(), retention: JsonObject.optional(), telemetry: JsonObject.optional(), datasets: JsonObject.optional() })
  .strict();
export type TenantSettingsInput = z.infer<typeof TenantSettingsInputSchema>;

export interface TenantSettings {
  guardrails: GuardrailSettings;
  /** Cache policy overrides (the cache module fills the defaults). */
  cache: z.infer<typeof PartialPolicySchema>;
  router: RouterSettings;
  /** The tenant's overrides only; unset fields take the evaluator's defaults. */
  retention: RetentionInput;
  /** Trace content opt-in (telemetry/otel/settings.ts). */
  telemetry: TelemetrySettings;
  /** Training-data consent (usage/dataset-settings.ts); tenant-wide only. */
  datasets: DatasetSettings;
}

/** Objects merge key by key; arrays and scalars from the later layer replace. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] = isObject(prev) && isObject(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Resolves layers into full settings; throws a zod error naming the field when invalid. */
export function resolveSettings(layers: readonly TenantSettingsInput[]): TenantSettings {
  const merged = layers.reduce<Record<string, unknown>>((acc, layer) => deepMerge(acc, layer), {});
  const section = (name: string) => (isObject(merged[name]) ? merged[name] : {});
  return {
    guardrails: GuardrailSettingsSchema.parse(section("guardrails")),
    cache: PartialPolicySchema.parse(section("cache")),
    router: RouterSettingsSchema.parse(section("router")),
    // Parsed under its section name, so an error names `retention.<field>`.
    retention: z.object({ retention: RetentionInputSchema }).parse({ retention: section("retention") }).retention,
    telemetry: z.object({ telemetry: TelemetrySettingsSchema }).parse({ telemetry: section("telemetry") }).telemetry,
    datasets: z.object({ datasets: DatasetSettingsSchema }).parse({ datasets: section("datasets") }).datasets,
  };
}

export const DEFAULT_TENANT_SETTINGS: TenantSettings = resolveSettings([]);
