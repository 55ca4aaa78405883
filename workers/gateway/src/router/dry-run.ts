/**
 * POST /v1/route: what the router would do with a chat completion body, without calling a
 * model. With `draft` (a response already obtained from a model), the cascade verifier
 * decides whether that draft would be served or the request escalated.
 */
import { z } from "zod";
import { ChatCompletionRequestSchema } from "../../../../shared/schemas/openai-chat";
import { verifyDraft, type VerifyResult } from "./cascade/verify-draft";
import { decideRoute, type RouteContext } from "./policy";
import type { BandInForce } from "./quality-target/band-in-force";
import type { Router } from "./router";

export const RouteDryRunBodySchema = ChatCompletionRequestSchema.extend({
  draft: z
    .object({
      model: z.string().min(1).max(256),
      content: z.string().max(1_000_000),
      finish_reason: z.string().nullable().optional(),
    })
    .optional(),
});
export type RouteDryRunBody = z.infer<typeof RouteDryRunBodySchema>;

export interface RouteDryRunResult {
  tier: string;
  model: string;
  intent: string;
  complexity: number;
  confidence: number;
  /** The complexity threshold applied, and the cheapest band in force with its source. */
  threshold: number;
  band: BandInForce;
  escalate: boolean;
  reason: string;
  cascade: boolean;
  modelVersion: string;
  draft?: VerifyResult & { accepted: boolean };
}

export interface DryRunOptions extends RouteContext {
  /** Model id for a tier (the gateway's registry); falls back to settings.tierModels, then the tier name. */
  modelForTier?: (tier: string) => string | undefined;
}

export async function routeDryRun(body: RouteDryRunBody, router: Router, opts: DryRunOptions = {}): Promise<RouteDryRunResult> {
  const c = await router.classifyRequest(body);
  const s = router.settings;
  const ctx: RouteContext = { ...opts, explicitModel: opts.explicitModel ?? body.model };
  const d = decideRoute(c, s, ctx);
  const modelFor = (tier: string): string => opts.modelForTier?.(tier) ?? s.tierModels[tier] ?? tier;
  const result: RouteDryRunResult = {
    tier: d.tier, model: modelFor(d.tier), intent: d.intent, complexity: d.complexity, confidence: d.confidence,
    threshold: d.threshold, band: d.band, escalate: d.escalate, reason: d.reason, cascade: d.cascade, modelVersion: d.modelVersion,
  };
  if (!body.draft) return result;
  const v = verifyDraft(body, body.draft.content, { finishReason: body.draft.finish_reason ?? null, complexity: c.complexity, ...(d.cascadeThreshold !== undefined ? { threshold: d.cascadeThreshold } : {}) });
  if (v.ok) return { ...result, tier: d.cascadeDraftTier ?? s.tiers[0]!, model: body.draft.model, reason: "cascade_draft_accepted", escalate: false, draft: { ...v, accepted: true } };
  const top = s.tiers[s.tiers.length - 1]!;
  const tier = d.tier === (d.cascadeDraftTier ?? s.tiers[0]) ? top : d.tier;
  return { ...result, tier, model: modelFor(tier), reason: `cascade_draft_rejected:${v.reasons.join("+")}`, escalate: true, draft: { ...v, accepted: false } };
}
