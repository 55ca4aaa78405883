/**
 * Tiered judging of a batch's answers, as decisions (judge-batch.ts writes them):
 *   1 prepare (per answer, no I/O): deterministic checks -> an empty answer is scored 1 with
 *     no calls; over the tenant's judge budget -> checks only (a fallback row); else the cheap
 *     pass is reserved in the budget;
 *   2 the cheap judges triage the reserved answers, several per call (triage.ts);
 *   3 finish (per answer): aggregate -> escalation policy -> strong judges inline, or queued
 *     ('pending': the escalation consumer finishes it), or over the strong judges' part of the
 *     budget ('skipped': the cheap verdict stands).
 * Unreachable cheap judges are a retry of the message, and after the retry budget an error
 * evaluation, as before tiers existed.
 */
import { mapLimit } from "../concurrency";
import type { PriceBook } from "../pricing/price-book";
import type { StoredContent } from "../trace/trace-record";
import { estimateCallUsd, type JudgeBudget } from "./budget";
import { runChecks, type CheckResult } from "./checks";
import { judgesOfTier, type Judge } from "./config";
import { billedUsd, type Escalation, type JudgedRequest } from "./evaluation-store";
import { aggregate, emptyAnswerResult, mergeStrong, PanelUnavailableError, runJudge, scored, type JudgeOutcome, type PanelDeps, type PanelResult } from "./panel";
import { escalationReasons, type EscalationReason, type JudgePolicy } from "./policy";

export type TieredDecision =
  | { kind: "evaluated"; panel: PanelResult; escalation: Escalation }
  | { kind: "fallback"; checks: CheckResult; reason: "judge_budget" }
  | { kind: "unavailable"; error: PanelUnavailableError };

export interface TieredContext {
  judges: readonly Judge[];
  policy: JudgePolicy;
  budget: JudgeBudget;
  book: PriceBook;
  transport: PanelDeps;
  /** true: strong judges run here; false: the answer is queued for the escalation consumer. */
  strongInline: boolean;
  now: number;
}

export type Prepared = { kind: "decided"; decision: TieredDecision } | { kind: "triage"; checks: CheckResult; reservedUsd: number };

/** The first pass: the cheap judges, or the whole panel when none is marked cheap. */
export function firstPassJudges(judges: readonly Judge[]): Judge[] {
  const cheap = judgesOfTier(judges, "cheap");
  return cheap.length ? cheap : [...judges];
}

export function strongJudges(judges: readonly Judge[]): Judge[] {
  return firstPassJudges(judges).length === judges.length ? [] : judgesOfTier(judges, "strong");
}

const promptChars = (c: StoredContent): number => c.messages.reduce((n, m) => n + m.content.length, 0) + c.response.length;

function estimate(judges: readonly Judge[], event: JudgedRequest, content: StoredContent, ctx: TieredContext): number {
  return judges.reduce((sum, j) => sum + estimateCallUsd(j, promptChars(content), ctx.book, event.tenantId, ctx.now), 0);
}

export function prepareAnswer(event: JudgedRequest, content: StoredContent, finishReason: unknown, ctx: TieredContext): Prepared {
  const checks = runChecks(content.response, content.responseFormat, finishReason);
  if (checks.empty) return { kind: "decided", decision: { kind: "evaluated", panel: emptyAnswerResult(checks), escalation: { reasons: [], state: null } } };
  const reservedUsd = estimate(firstPassJudges(ctx.judges), event, content, ctx);
  if (!ctx.budget.tryCharge(event.tenantId, "cheap", reservedUsd)) return { kind: "decided", decision: { kind: "fallback", checks, reason: "judge_budget" } };
  return { kind: "triage", checks, reservedUsd };
}

export async function runStrong(content: StoredContent, judges: readonly Judge[], transport: PanelDeps): Promise<JudgeOutcome[]> {
  return mapLimit(judges, transport.concurrency ?? 4, (j) => runJudge(j, content, transport));
}

async function escalate(event: JudgedRequest, content: StoredContent, cheap: PanelResult, reasons: EscalationReason[], ctx: TieredContext): Promise<TieredDecision> {
  const strong = strongJudges(ctx.judges);
  if (reasons.length === 0 || strong.length === 0) return { kind: "evaluated", panel: cheap, escalation: { reasons, state: null } };
  const reserved = estimate(strong, event, content, ctx);
  if (!ctx.budget.tryCharge(event.tenantId, "strong", reserved)) return { kind: "evaluated", panel: cheap, escalation: { reasons, state: "skipped" } };
  if (!ctx.strongInline) return { kind: "evaluated", panel: cheap, escalation: { reasons, state: "pending" } };
  const outcomes = await runStrong(content, strong, ctx.transport);
  ctx.budget.settle(event.tenantId, "strong", reserved, billedUsd(event, outcomes, ctx.book, ctx.now));
  return { kind: "evaluated", panel: mergeStrong(cheap, outcomes), escalation: { reasons, state: outcomes.some(scored) ? "done" : "error" } };
}

/** The cheap verdict (`outcomes` from the triage) settled, then the escalation decision. */
export async function finishAnswer(event: JudgedRequest, content: StoredContent, p: Extract<Prepared, { kind: "triage" }>, outcomes: readonly JudgeOutcome[], ctx: TieredContext): Promise<TieredDecision> {
  ctx.budget.settle(event.tenantId, "cheap", p.reservedUsd, billedUsd(event, outcomes, ctx.book, ctx.now));
  if (!outcomes.some(scored)) return { kind: "unavailable", error: new PanelUnavailableError(outcomes.map((o) => o.error).join("; ") || "no judges configured", outcomes) };
  const cheap: PanelResult = { checks: p.checks, judges: [...outcomes], ...aggregate(p.checks, outcomes) };
  return escalate(event, content, cheap, escalationReasons(cheap, ctx.policy, event.requestId), ctx);
}
