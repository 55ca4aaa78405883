/**
 * Cache policy: defaults, overridable per tenant and per tenant feature. Validated with zod at
 * the boundary (config JSON or D1 row); `resolvePolicy` merges defaults <- tenant <- feature.
 */
import { z } from "zod";

/**
 * The semantic hit decision (semantic-cache/hit-score.ts): hit score = cosine - lexicalWeight x
 * (weighted share of content words not shared), for neighbours with cosine >= minCosine. The
 * weight and the static threshold come from fixed rules cross-validated on two halves of the
 * development pairs (bench/cache-rules.ts, docs/benchmarks/cache.md): the weight is every half's
 * pick; the threshold (static mode only, maxFalseHitRate null) is the strictest of the rule's
 * picks on the whole set and on each half. Under a false-hit bound (the default) the threshold
 * in force is the gate's (calibration/gate.ts). minCosine is the index prefilter, set by
 * latency: 0.82 keeps the local index's lookup p99 near 3 ms at 100k entries.
 */
export const DEFAULT_SEMANTIC_THRESHOLD = 0.69;
/** Default maximum false-hit rate: the share of served semantic hits allowed to be wrong. */
export const DEFAULT_MAX_FALSE_HIT_RATE = 0.01;
/** Share of refused near-misses whose fresh answer the evaluator checks against the cached one. */
export const DEFAULT_SHADOW_RATE = 0.25;
export const DEFAULT_LEXICAL_WEIGHT = 0.45;
export const DEFAULT_MIN_COSINE = 0.82;

const ScopeBySchema = z.object({ key: z.boolean(), endUser: z.boolean(), feature: z.boolean() });

/** Every field required: what the cache runs with after layering. */
export const CachePolicySchema = z.object({
  enabled: z.boolean(),
  exact: z.boolean(),
  semantic: z.boolean(),
  /**
   * Maximum false-hit rate delta: a semantic hit is served only where the upper confidence bound
   * of the chance it is wrong is within it (calibration/gate.ts), learned from correctness
   * feedback. null: the static `threshold` instead (no feedback used).
   */
  maxFalseHitRate: z.number().min(0.001).max(0.2).nullable(),
  /**
   * While the bound has too little feedback: "auto" = the strict static threshold measured for
   * the embedder (calibration/measured.ts), exact hits only for an embedder nobody measured;
   * "exact" = exact hits only; a number = that hit-score threshold.
   */
  coldThreshold: z.union([z.literal("auto"), z.literal("exact"), z.number().min(0.5).max(1)]),
  /** Share of refused guard-passing near-misses sent to the evaluator as shadow checks. */
  shadowRate: z.number().min(0).max(1),
  /** Static mode (maxFalseHitRate null): hit score (cosine minus the lexical penalty) a neighbour must reach; guards still apply. */
  threshold: z.number().min(0.5).max(1),
  /** Most the hit score loses when two questions share no content word (0 = cosine alone). */
  lexicalWeight: z.number().min(0).max(0.5),
  /** Neighbours below this cosine are not considered at all (the vector index's prefilter). */
  minCosine: z.number().min(0).max(1),
  /** Lowest value `x-cache-threshold` may set; a client cannot loosen the cache below this. */
  minThresholdOverride: z.number().min(0.5).max(1),
  /** KV enforces a 60 s minimum expiration TTL. */
  ttlSeconds: z.number().int().min(60).max(30 * 86_400),
  /** Above this temperature an answer is a sample, not the answer: neither looked up nor stored. */
  maxTemperature: z.number().min(0).max(2),
  allowHighTemperature: z.boolean(),
  /** Responses that call tools depend on the world at call time; off unless a tenant opts in. */
  cacheToolCalls: z.boolean(),
  /** Off: requests holding PII placeholders are not cached (a replay restores this request's values into an answer about another's). */
  cacheWithPlaceholders: z.boolean(),
  /** Partition the cache further than the tenant (the tenant is always part of the scope). */
  scopeBy: ScopeBySchema,
  /** Share of semantic hits marked for the evaluator's judge. */
  auditRate: z.number().min(0).max(1),
  /** Neighbours checked (similarity order) before giving up. */
  topK: z.number().int().min(1).max(20),
});
export type CachePolicy = z.infer<typeof CachePolicySchema>;

export const DEFAULT_POLICY: CachePolicy = {
  enabled: true,
  exact: true,
  semantic: true,
  maxFalseHitRate: DEFAULT_MAX_FALSE_HIT_RATE,
  coldThreshold: "auto",
  shadowRate: DEFAULT_SHADOW_RATE,
  threshold: DEFAULT_SEMANTIC_THRESHOLD,
  lexicalWeight: DEFAULT_LEXICAL_WEIGHT,
  minCosine: DEFAULT_MIN_COSINE,
  minThresholdOverride: 0.6,
  ttlSeconds: 86_400,
  maxTemperature: 1,
  allowHighTemperature: false,
  cacheToolCalls: false,
  cacheWithPlaceholders: true,
  scopeBy: { key: false, endUser: false, feature: true },
  auditRate: 0.05,
  topK: 4,
};

/** What config may say at each layer: a subset of fields, no defaults filled in (so layers don't reset each other). */
export const PartialPolicySchema = CachePolicySchema.extend({ scopeBy: ScopeBySchema.partial() }).partial();
type PartialPolicy = z.infer<typeof PartialPolicySchema>;

export const CacheSettingsSchema = z.object({
  defaults: PartialPolicySchema.default({}),
  tenants: z.record(z.string(), PartialPolicySchema.extend({ features: z.record(z.string(), PartialPolicySchema).default({}) })).default({}),
});
export type CacheSettings = z.infer<typeof CacheSettingsSchema>;

export const DEFAULT_CACHE_SETTINGS: CacheSettings = CacheSettingsSchema.parse({});

// Resolved policies per settings object (settings objects are long-lived: the isolate's
// config, or a tenant's cached settings row), so the merge runs once, not per request.
const resolved = new WeakMap<CacheSettings, Map<string, CachePolicy>>();
const MAX_RESOLVED = 1_000;

/** The effective policy for a tenant and feature; treat the result as read-only (it is shared). */
export function resolvePolicy(settings: CacheSettings, tenantId: string, feature: string | null): CachePolicy {
  let memo = resolved.get(settings);
  if (!memo) resolved.set(settings, (memo = new Map()));
  const key = `${tenantId}\u0000${feature ?? "\u0000"}`;
  const hit = memo.get(key);
  if (hit) return hit;
  if (memo.size >= MAX_RESOLVED) memo.clear();
  const policy = mergePolicy(settings, tenantId, feature);
  memo.set(key, policy);
  return policy;
}

function mergePolicy(settings: CacheSettings, tenantId: string, feature: string | null): CachePolicy {
  // Own properties only: tenant and feature ids are user data ("constructor", "__proto__").
  const tenant = Object.hasOwn(settings.tenants, tenantId) ? settings.tenants[tenantId] : undefined;
  const featurePolicy = tenant && feature !== null && Object.hasOwn(tenant.features, feature) ? tenant.features[feature] : undefined;
  const layers: PartialPolicy[] = [settings.defaults, tenant ?? {}, featurePolicy ?? {}];
  let policy: CachePolicy = DEFAULT_POLICY;
  for (const layer of layers) {
    const { scopeBy, ...rest } = layer;
    const defined = Object.fromEntries(Object.entries(rest).filter(([k, v]) => v !== undefined && k !== "features"));
    policy = { ...policy, ...defined, scopeBy: { ...policy.scopeBy, ...scopeBy } };
  }
  return policy;
}
