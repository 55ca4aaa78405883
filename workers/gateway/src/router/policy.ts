/**
 * The routing policy: a pure function from a classification, settings and request context to
 * a tier. Order of rules (first that applies wins, later ones may only raise/lower as noted):
 *  1. explicit model  -> its tier, unless the key forbids that tier (then routed normally)
 *  2. complexity band -> tier (bands shifted up under budget pressure)
 *  3. minimum tier per intent (raise)
 *  4. low confidence  -> one tier up (escalate), not under budget pressure
 *  5. clamp to the key's allowed tiers (nearest allowed, preferring stronger)
 * Cascade: when enabled and the decided tier is above the cheapest allowed one, the executor
 * drafts on the cheapest, runs verifyDraft, and escalates to `tier` on failure.
 */
import type { Classification } from "./classify";
import { effectiveSettings, type RouterSettings } from "./settings";

export interface RouteContext {
  /** A concrete model the client asked for ("auto" or absent = let the router choose). */
  explicitModel?: string;
  /** Tier of the explicit model, resolved by the gateway's registry. */
  explicitModelTier?: string;
  budgetPressure?: boolean;
  /** From the API key: null/undefined = every tier. */
  allowedTiers?: readonly string[] | null;
  tenantId?: string;
  feature?: string | null;
}

export type RouteReason =
  | "explicit_model"
  | "router_disabled"
  | "complexity_below_threshold"
  | "complexity_above_threshold"
  | "budget_pressure"
  | "intent_min_tier"
  | "low_confidence"
  | "tier_not_allowed";

export interface RouteDecision {
  tier: string;
  reason: RouteReason;
  /** True when the tier was raised because the classifier was unsure. */
  escalate: boolean;
  /** Draft on `cascadeDraftTier` first, escalate to `tier` if the draft fails verification. */
  cascade: boolean;
  cascadeDraftTier?: string;
  /** The tenant's/feature's verifier threshold (router settings), when set. */
  cascadeThreshold?: number;
  complexity: number;
  intent: string;
  confidence: number;
  threshold: number;
  modelVersion: string;
}

const rank = (tiers: readonly string[], t: string): number => tiers.indexOf(t);

function bandTier(s: RouterSettings, complexity: number, shift: number): { tier: string; threshold: number } {
  for (const band of s.bands) if (complexity < Math.min(1, band.below + shift)) return { tier: band.tier, threshold: band.below + shift };
  return { tier: s.tiers[s.tiers.length - 1]!, threshold: s.bands[s.bands.length - 1]!.below + shift };
}

function clampAllowed(tiers: readonly string[], tier: string, allowed?: readonly string[] | null): string | null {
  if (!allowed || allowed.includes(tier)) return tier;
  const ok = tiers.filter((t) => allowed.includes(t));
  if (ok.length === 0) return null;
  const r = rank(tiers, tier);
  return ok.find((t) => rank(tiers, t) >= r) ?? ok[ok.length - 1]!;
}

export function decideRoute(c: Classification, settings: RouterSettings, ctx: RouteContext = {}): RouteDecision {
  const s = effectiveSettings(settings, ctx.tenantId, ctx.feature);
  const base = {
    complexity: c.complexity, intent: c.intent, confidence: c.confidence, modelVersion: c.modelVersion, escalate: false, cascade: false,
    ...(s.cascadeThreshold !== undefined ? { cascadeThreshold: s.cascadeThreshold } : {}),
  };
  const explicit = ctx.explicitModel && ctx.explicitModel !== "auto" ? ctx.explicitModelTier : undefined;
  if (explicit && (!ctx.allowedTiers || ctx.allowedTiers.includes(explicit))) return { ...base, tier: explicit, reason: "explicit_model", threshold: 0 };
  const shift = ctx.budgetPressure ? s.budgetPressureShift : 0;
  const band = bandTier(s, c.complexity, shift);
  let tier = s.enabled ? band.tier : s.tiers[s.tiers.length - 1]!;
  const unshifted = bandTier(s, c.complexity, 0).tier;
  let reason: RouteReason = !s.enabled
    ? "router_disabled"
    : tier !== unshifted
      ? "budget_pressure"
      : tier === s.tiers[s.tiers.length - 1]
        ? "complexity_above_threshold"
        : "complexity_below_threshold";
  if (!s.enabled) return finish(s, { ...base, tier, reason, threshold: band.threshold }, ctx);
  const minTier = s.minTierByIntent[c.intent];
  if (minTier && rank(s.tiers, minTier) > rank(s.tiers, tier)) (tier = minTier), (reason = "intent_min_tier");
  let escalate = false;
  const next = s.tiers[rank(s.tiers, tier) + 1];
  if (!ctx.budgetPressure && c.confidence < s.confidenceThreshold && next) (tier = next), (reason = "low_confidence"), (escalate = true);
  const decision: RouteDecision = { ...base, tier, reason, escalate, threshold: band.threshold };
  return finish(s, decision, ctx);
}

function finish(s: RouterSettings, d: RouteDecision, ctx: RouteContext): RouteDecision {
  const clamped = clampAllowed(s.tiers, d.tier, ctx.allowedTiers) ?? d.tier;
  const out = clamped === d.tier ? d : { ...d, tier: clamped, reason: "tier_not_allowed" as const };
  const allowed = s.tiers.filter((t) => !ctx.allowedTiers || ctx.allowedTiers.includes(t));
  const cheapest = allowed[0];
  if (s.cascade && cheapest && rank(s.tiers, out.tier) > rank(s.tiers, cheapest) && d.complexity < s.cascadeMaxComplexity)
    return { ...out, cascade: true, cascadeDraftTier: cheapest };
  return out;
}
