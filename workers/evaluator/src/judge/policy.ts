/**
 * JUDGE_POLICY: how much judging a tenant pays for, and when the cheap verdict is not enough.
 *
 * Budget: judge spend (every kind='judge' ledger row: panels and cache audits) stays within
 * `maxShareOfInference` of the tenant's inference spend in the same UTC day (default 10%),
 * `strongShare` of it at most on strong judges. Allowance accrues with inference spend, so a
 * tenant's first answers of the day may fall back to the deterministic checks until its
 * traffic has paid for judging (judge/budget.ts).
 *
 * Escalation: the strong judges see an answer only when the cheap pass scored it low, was
 * unsure (its own confidence below `unsureBelow`), two cheap judges disagreed, or it fell in
 * the deterministic audit sample (`auditRate`, by request id).
 */
import { z } from "zod";
import { hardFailure } from "./checks";
import { unitDraw } from "../../../../shared/hash/unit-draw";
import type { PanelResult } from "./panel";

const Share = z.number().min(0).max(10).nullable();

export const JudgePolicySchema = z.object({
  /** Judge spend / inference spend, per tenant and UTC day; null = uncapped. */
  maxShareOfInference: Share.default(0.1),
  /** Share of that budget the strong judges may use (the rest keeps the cheap pass going). */
  strongShare: z.number().min(0).max(1).default(0.5),
  rules: z.array(z.object({ tenantId: z.string().min(1), maxShareOfInference: Share })).default([]),
  escalation: z
    .object({
      /** A cheap panel mean below this goes to the strong judges. */
      lowScore: z.number().min(1).max(5).default(2.5),
      /** A cheap judge confidence (1-5) below this counts as unsure. */
      unsureBelow: z.number().int().min(1).max(6).default(3),
      /** Two cheap judges >= 2 points apart on a rubric. */
      disagreement: z.boolean().default(true),
      /** Share of judged answers sent to the strong judges regardless, to keep the cheap one honest. */
      auditRate: z.number().min(0).max(1).default(0.02),
    })
    .prefault({}),
});
export type JudgePolicy = z.infer<typeof JudgePolicySchema>;

export const DEFAULT_JUDGE_POLICY: JudgePolicy = JudgePolicySchema.parse({});

export function parseJudgePolicy(raw: string | undefined): JudgePolicy {
  return raw ? JudgePolicySchema.parse(JSON.parse(raw)) : DEFAULT_JUDGE_POLICY;
}

export function maxShareFor(policy: JudgePolicy, tenantId: string): number | null {
  const rule = policy.rules.find((r) => r.tenantId === tenantId);
  return rule ? rule.maxShareOfInference : policy.maxShareOfInference;
}

export const ESCALATION_REASONS = ["low_score", "unsure", "disagreement", "audit"] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

/** Why the cheap verdict on this answer needs a strong judge; empty = it stands. */
export function escalationReasons(panel: PanelResult, policy: JudgePolicy, requestId: string): EscalationReason[] {
  const { lowScore, unsureBelow, disagreement, auditRate } = policy.escalation;
  if (panel.judges.length === 0) return [];
  const reasons: EscalationReason[] = [];
  // A hard check failure already caps the score: a second opinion could not raise it.
  if (panel.scoreMean < lowScore && !hardFailure(panel.checks)) reasons.push("low_score");
  if (panel.confidence !== null && panel.confidence < unsureBelow) reasons.push("unsure");
  if (disagreement && panel.disagreement) reasons.push("disagreement");
  if (unitDraw(`audit:${requestId}`) < auditRate) reasons.push("audit");
  return reasons;
}
