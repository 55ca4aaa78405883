/**
 * Router settings: validated with zod at the boundary (tenant config, admin API), defaults
 * for everything. Tiers are listed cheapest first; `bands` map complexity to a tier
 * (first band whose `below` exceeds the complexity wins, else the strongest tier).
 * Overrides layer: defaults <- perTenant[tenant] <- perFeature[feature].
 */
import { z } from "zod";
import { IntentSchema } from "../../../../shared/schemas/router-training-example";
import { LOSS_ESTIMATES } from "./quality-target/derive-band";
import { RolloutConfigSchema } from "../../../../shared/router-rollout/rollback";

export const BandSchema = z.object({ below: z.number().min(0).max(1), tier: z.string().min(1) });

/**
 * Quality-target routing (docs/router.md, "Quality target"): the cheapest band's `below` is
 * derived from the tenant's (or feature's) recent complexity distribution so that the expected
 * loss stays within (1 - qualityTarget) x the frontier's quality. Unset or null = the static band.
 */
const QualityTargetFields = {
  /** Keep at least this share of all-frontier quality (0.95 = lose at most 5% of it). null turns a layer's target off. */
  qualityTarget: z.number().min(0.5).max(1).nullable().optional(),
  /** The frontier tier's quality on this traffic (share of good answers), if known; else the judged pass rate, else 0.85. */
  frontierQuality: z.number().min(0.05).max(1).optional(),
  /** Guard rails on the derived band. */
  qualityBandMin: z.number().min(0).max(1).optional(),
  qualityBandMax: z.number().min(0).max(1).optional(),
  /** Requests in the published window needed before the derived band replaces the static one. */
  qualityMinRequests: z.number().int().min(1).max(10_000_000).optional(),
  /**
   * "net": the budget pays for P(small worse) − P(small better) (the model's win curve), so the
   * measured quality lands near the target; "upper_bound": P(small worse) only, so it lands at or
   * above it and the cut is smaller (docs/router.md, "Quality target").
   */
  qualityEstimate: z.enum(LOSS_ESTIMATES).optional(),
  /**
   * Judged small-tier outcomes in the published window needed before the band is set from them
   * (the labelled band, quality-target/labelled-band.ts: certified at 95% confidence) instead of
   * the label-free estimate.
   */
  qualityMinLabels: z.number().int().min(1).max(10_000_000).optional(),
};

const TunablesSchema = z.object({
  bands: z.array(BandSchema).min(1).optional(),
  /** Below this confidence the decision is raised one tier. */
  confidenceThreshold: z.number().min(0).max(1).optional(),
  /** Draft on the cheapest tier, verify, escalate on failure (see cascade/verify-draft.ts). */
  cascade: z.boolean().optional(),
  /** Prompts at or above this complexity skip the draft (the small tier more likely loses than not). */
  cascadeMaxComplexity: z.number().min(0).max(1).optional(),
  /** A draft escalates when the verifier's P(draft wrong) is above this (default: the shipped verifier's). */
  cascadeThreshold: z.number().min(0).max(1).optional(),
  /** Intents that always get at least this tier (e.g. coding -> frontier for one product). */
  minTierByIntent: z.partialRecord(IntentSchema, z.string()).optional(),
  ...QualityTargetFields,
});
export type RouterTunables = z.infer<typeof TunablesSchema>;

/**
 * A candidate router = the shipped model with these settings layered over the control's
 * (no defaults here: an absent field keeps the control's value). Strict so a typo in an
 * admin PUT is a 400, not a candidate silently equal to control.
 */
export const CandidateOverridesSchema = TunablesSchema.extend({
  tiers: z.array(z.string().min(1)).min(1).optional(),
  budgetPressureShift: z.number().min(0).max(1).optional(),
}).strict();
export type CandidateOverrides = z.infer<typeof CandidateOverridesSchema>;

/** Shadow/canary of a candidate (router/rollout/rollout.ts); `off` for every existing tenant. */
export const RouterRolloutSchema = RolloutConfigSchema.extend({
  // Goes into a response header and the evaluator's GROUP BY: keep it short and plain.
  candidateVersion: z.string().regex(/^[A-Za-z0-9._+:-]{1,64}$/).optional(),
  candidate: CandidateOverridesSchema.default({}),
}).refine((r) => r.mode === "off" || r.candidateVersion !== undefined, {
  message: "candidateVersion is required when mode is shadow or canary",
  path: ["candidateVersion"],
});
export type RouterRollout = z.infer<typeof RouterRolloutSchema>;

export const RouterSettingsSchema = z.object({
  enabled: z.boolean().default(true),
  tiers: z.array(z.string().min(1)).min(1).default(["small", "frontier"]),
  /**
   * complexity is a calibrated P(small tier's answer worse than the frontier's), ~0.1-0.4 in
   * practice. 0.17 is the highest threshold that kept >= 95% of all-frontier quality on
   * held-out sets pooled (23% of prompts to the small tier; docs/router.md, Policy). With a
   * qualityTarget it is the cold-start band, until the tenant's own traffic gives one.
   */
  bands: z.array(BandSchema).min(1).default([{ below: 0.17, tier: "small" }]),
  /** Below this confidence (policy.ts: distance from the band in force, and intent) the decision is raised one tier. */
  confidenceThreshold: z.number().min(0).max(1).default(0.3),
  cascade: z.boolean().default(false),
  /**
   * complexity >= this skips the cascade draft and goes straight to the routed tier: at 0.5 the
   * small tier is more likely than not to lose to the frontier (calibrated), so the draft mostly
   * adds latency and a chance of serving the worse answer (docs/router.md, Cascade verifier).
   */
  cascadeMaxComplexity: z.number().min(0).max(1).default(0.5),
  /** P(draft wrong) above which a cascade draft escalates; absent = the shipped verifier's default. */
  cascadeThreshold: z.number().min(0).max(1).optional(),
  /** Under budget pressure every band's `below` rises by this much (0.17 -> 0.20: ~66% small, ~90% quality held out). */
  budgetPressureShift: z.number().min(0).max(1).default(0.03),
  minTierByIntent: z.partialRecord(IntentSchema, z.string()).default({}),
  ...QualityTargetFields,
  qualityBandMin: QualityTargetFields.qualityBandMin.default(0.05),
  /** 0.5: never send the small tier a prompt it more likely than not answers worse. */
  qualityBandMax: QualityTargetFields.qualityBandMax.default(0.5),
  /** ~200 requests put the share below a band within ~±3.5 points (binomial, at 30%). */
  qualityMinRequests: QualityTargetFields.qualityMinRequests.default(200),
  qualityEstimate: QualityTargetFields.qualityEstimate.default("net"),
  /** 300: the fewest labels with which a band losing half the budget is certified at all (docs/router.md, "Labelled band"). */
  qualityMinLabels: QualityTargetFields.qualityMinLabels.default(300),
  /**
   * Shadow sample (chat/shadow-tier.ts, docs/router.md): the share of router-decided
   * requests that the tier which did not serve also answers in the background, judged for router
   * labels (the cheapest tier for frontier-served ones; the strongest for small-served ones, see
   * shadowFrontier). Unset = the deployment's SHADOW_SMALL_RATE (0.02 in wrangler.toml); 0 opts
   * the tenant (or a feature) out of both directions.
   */
  shadowSmallRate: z.number().min(0).max(1).optional(),
  /**
   * Frontier shadow (chat/shadow-tier.ts): at the same draw and rate, a small-served request is
   * also answered by the strongest tier, so the labelled band gets paired labels. Runs only while
   * a quality target applies (nothing else reads it; it costs frontier calls); false opts out.
   */
  shadowFrontier: z.boolean().optional(),
  /** Model id per tier, for /v1/route output; the gateway's registry has the last word. */
  tierModels: z.record(z.string(), z.string()).default({}),
  perTenant: z.record(z.string(), TunablesSchema).default({}),
  perFeature: z.record(z.string(), TunablesSchema).default({}),
  rollout: RouterRolloutSchema.prefault({}),
});
export type RouterSettings = z.infer<typeof RouterSettingsSchema>;
export type RouterSettingsInput = z.input<typeof RouterSettingsSchema>;

export const DEFAULT_ROUTER_SETTINGS: RouterSettings = RouterSettingsSchema.parse({});

/** Settings with the tenant's, then the feature's overrides applied. */
export function effectiveSettings(s: RouterSettings, tenantId?: string, feature?: string | null): RouterSettings {
  const layers = [tenantId ? s.perTenant[tenantId] : undefined, feature ? s.perFeature[feature] : undefined];
  let out = s;
  for (const layer of layers) {
    if (!layer) continue;
    const defined = Object.fromEntries(Object.entries(layer).filter(([, v]) => v !== undefined));
    out = { ...out, ...defined, minTierByIntent: { ...out.minTierByIntent, ...(layer.minTierByIntent ?? {}) } };
  }
  return out;
}
