/**
 * The routing policy: a pure function from a classification, settings and request context to
 * a tier. Order of rules (first that applies wins, later ones may only raise/lower as noted):
 *  1. explicit model  -> its tier, unless the key forbids that tier (then routed normally)
 *  2. complexity band -> tier (bands shifted up under budget pressure); with a quality target
 *     the cheapest band comes from the tenant's traffic (band-in-force.ts)
 *  3. minimum tier per intent (raise)
 *  4. low confidence  -> one tier up (escalate), not under budget pressure
 *  5. clamp to the key's allowed tiers (nearest allowed, preferring stronger)
 * Cascade: when enabled and the decided tier is above the cheapest allowed one, the executor
 * drafts on the cheapest, runs verifyDraft, and escalates to `tier` on failure.
 */
import { routeConfidence, type Classification } from "./classify";
import { bandInForce, type BandInForce, type TrafficPair } from "./quality-target/band-in-force";
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
  /** The evaluator's published traffic for this feature and tenant (quality-target band); absent = cold start. */
  traffic?: TrafficPair | null;
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
  /** Relative to the band in force (routeConfidence). */
  confidence: number;
  /** The threshold applied: the band in force, plus the budget-pressure shift. */
  threshold: number;
  /** The cheapest band in force and where it came from (static, quality target, cold start). */
  band: BandInForce;
  modelVersion: string;
}

const rank = (tiers: readonly string[], t: string): number => tiers.indexOf(t);

function bandTier(bands: RouterSettings["bands"], tiers: readonly string[], complexity: number, shift: number): { tier: string; threshold: number } {
  for (const band of bands) if (complexity < Math.min(1, band.below + shift)) return { tier: band.tier, threshold: band.below + shift };
  return { tier: tiers[tiers.length - 1]!, threshold: bands[bands.length - 1]!.below + shift };
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
  const inForce = bandInForce(s, ctx.traffic ?? null, c.winCurve);
  const bands = s.bands.map((b, i) => (i === 0 ? { ...b, below: inForce.below } : b));
  const shift = ctx.budgetPressure ? s.budgetPressureShift : 0;
  const band = bandTier(bands, s.tiers, c.complexity, shift);
  const base = {
    complexity: c.complexity, intent: c.intent, modelVersion: c.modelVersion, escalate: false, cascade: false, band: inForce,
    confidence: routeConfidence(c.complexity, bands.map((b) => Math.min(1, b.below + shift)), c.intentConfidence),
    ...(s.cascadeThreshold !== undefined ? { cascadeThreshold: s.cascadeThreshold } : {}),
  };
  const explicit = ctx.explicitModel && ctx.explicitModel !== "auto" ? ctx.explicitModelTier : undefined;
  if (explicit && (!ctx.allowedTiers || ctx.allowedTiers.includes(explicit))) return { ...base, tier: explicit, reason: "explicit_model", threshold: 0 };
  let tier = s.enabled ? band.tier : s.tiers[s.tiers.length - 1]!;
  const unshifted = bandTier(bands, s.tiers, c.complexity, 0).tier;
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
  if (!ctx.budgetPressure && base.confidence < s.confidenceThreshold && next) (tier = next), (reason = "low_confidence"), (escalate = true);
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
