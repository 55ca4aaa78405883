/**
 * Cache policy: defaults, overridable per tenant and per tenant feature. Validated with zod at
 * the boundary (config JSON or D1 row); `resolvePolicy` merges defaults <- tenant <- feature.
 */
import { z } from "zod";

/** Chosen by the threshold sweep in docs/benchmarks/cache.md (local embedder, guards on). */
export const DEFAULT_SEMANTIC_THRESHOLD = 0.92;

export const CachePolicySchema = z.object({
  enabled: z.boolean().default(true),
  exact: z.boolean().default(true),
  semantic: z.boolean().default(true),
  /** Cosine similarity a semantic neighbour must reach (guards still apply). */
  threshold: z.number().min(0.5).max(1).default(DEFAULT_SEMANTIC_THRESHOLD),
  /** Lowest value `x-cache-threshold` may set; a client cannot loosen the cache below this. */
  minThresholdOverride: z.number().min(0.5).max(1).default(0.85),
  /** KV enforces a 60 s minimum expiration TTL. */
  ttlSeconds: z.number().int().min(60).max(30 * 86_400).default(86_400),
  /** Above this temperature an answer is a sample, not the answer: neither looked up nor stored. */
  maxTemperature: z.number().min(0).max(2).default(1),
  allowHighTemperature: z.boolean().default(false),
  /** Responses that call tools depend on the world at call time; off unless a tenant opts in. */
  cacheToolCalls: z.boolean().default(false),
  /** Requests holding PII placeholders replay an answer about another person's values. */
  cacheWithPlaceholders: z.boolean().default(true),
  /** Partition the cache further than the tenant (the tenant is always part of the scope). */
  scopeBy: z
    .object({ key: z.boolean().default(false), endUser: z.boolean().default(false), feature: z.boolean().default(true) })
    .prefault({}),
  /** Share of semantic hits marked for the evaluator's judge. */
  auditRate: z.number().min(0).max(1).default(0.05),
  /** Neighbours checked (similarity order) before giving up. */
  topK: z.number().int().min(1).max(20).default(4),
});
export type CachePolicy = z.infer<typeof CachePolicySchema>;

const PartialPolicySchema = CachePolicySchema.partial().extend({
  scopeBy: z.object({ key: z.boolean(), endUser: z.boolean(), feature: z.boolean() }).partial().optional(),
});
type PartialPolicy = z.infer<typeof PartialPolicySchema>;

export const CacheSettingsSchema = z.object({
  defaults: CachePolicySchema.prefault({}),
  tenants: z
    .record(z.string(), PartialPolicySchema.extend({ features: z.record(z.string(), PartialPolicySchema).default({}) }))
    .default({}),
});
export type CacheSettings = z.infer<typeof CacheSettingsSchema>;

export const DEFAULT_CACHE_SETTINGS: CacheSettings = CacheSettingsSchema.parse({});

export function resolvePolicy(settings: CacheSettings, tenantId: string, feature: string | null): CachePolicy {
  const tenant = settings.tenants[tenantId];
  const layers: PartialPolicy[] = [tenant ?? {}, (feature !== null && tenant?.features[feature]) || {}];
  let policy: CachePolicy = settings.defaults;
  for (const layer of layers) {
    const { scopeBy, ...rest } = layer;
    const defined = Object.fromEntries(Object.entries(rest).filter(([k, v]) => v !== undefined && k !== "features"));
    policy = { ...policy, ...defined, scopeBy: { ...policy.scopeBy, ...scopeBy } };
  }
  return policy;
}
