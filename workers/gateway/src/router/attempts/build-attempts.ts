/**
 * Routing is build-then-execute: this pure function turns a routing decision into the ordered
 * list of (model, tier) attempts; run-attempts.ts executes it. Order: the chosen model or
 * tier's models first, then stronger tiers, then weaker ones (a failing small tier escalates;
 * a failing frontier falls back to what still answers). Allow-lists from the key filter it.
 */
import type { ModelEntry, ModelRegistry } from "../../config/model-registry";

export interface Attempt {
  model: ModelEntry;
  tier: string;
}

export interface AttemptTarget {
  /** A model the client named explicitly (already authorised). */
  model?: ModelEntry;
  /** Otherwise the tier the router chose. */
  tier?: string;
}

export interface AttemptLimits {
  models: readonly string[] | null;
  tiers: readonly string[] | null;
  /** Only models that can serve this request (e.g. tools, context length). */
  accepts?: (model: ModelEntry) => boolean;
  /** Whether to leave the explicit model's tier when it fails (default: stay in tier). */
  crossTierForExplicitModel?: boolean;
}

export function buildAttempts(registry: ModelRegistry, target: AttemptTarget, limits: AttemptLimits): Attempt[] {
  const allowed = (m: ModelEntry) =>
    (limits.models === null || limits.models.includes(m.id)) &&
    (limits.tiers === null || limits.tiers.includes(m.tier)) &&
    (limits.accepts?.(m) ?? true);

  const ordered: ModelEntry[] = [];
  const push = (m: ModelEntry) => {
    if (!ordered.includes(m) && allowed(m)) ordered.push(m);
  };

  const startTier = target.model?.tier ?? target.tier ?? registry.defaultTier;
  if (target.model) push(target.model);
  const tiers = target.model && !limits.crossTierForExplicitModel ? [startTier] : registry.fallbackTiers(startTier).map((t) => t.id);
  for (const tier of tiers) for (const m of registry.modelsInTier(tier)) push(m);
  return ordered.map((model) => ({ model, tier: model.tier }));
}
