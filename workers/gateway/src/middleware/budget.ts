/**
 * `budget()`: before the upstream call, checks the monthly USD budgets that apply (tenant, key,
 * feature) against month-to-date spend plus an estimate of this call.
 * - policy `block`: 429 budget_exceeded naming the budget, and an audit row (at most one per
 *   budget per minute per isolate, so a client hammering a closed budget cannot flood the log);
 * - policy `downgrade`: `c.var.budget = { downgrade: true, budget }` for the router;
 * - at 80%: once per budget and month (claimed in D1) an audit row and a `BudgetAlert` in
 *   `c.var.budgetAlerts` for the lead to publish on the usage queue.
 * If budgets cannot be read the call is refused (fail closed, 503): budgets exist to cap spend.
 */
import { z } from "zod";
import type { MiddlewareHandler } from "hono";
import { GatewayError } from "../../../../shared/errors";
import { runInBackground, type AccessContext, type AccessEnv } from "../auth/access-env";
import { appendAudit } from "../audit/hash-chain";
import { auditThrottle } from "../audit/throttle";
import { claimBudgetAlert } from "../limits/budget-repository";
import { defaultBudgetCache, evaluateBudgets, monthLabel, type BudgetCache, type BudgetStatus } from "../limits/budget-check";
import type { BudgetAlert } from "../limits/budget-types";
import { estimateCostUsd } from "../limits/estimate";
import { featureHeader } from "../chat/feature";
import { peekJsonBody } from "../http/peek-json-body";
import { estimateBodyTokens } from "./rate-limit";

export interface BudgetOptions {
  now?: () => number;
  /**
   * Also take the feature from the body's `metadata.feature` when there is no `X-Feature`
   * header, as the chat route attributes it (chat/feature.ts): otherwise a feature budget could
   * be dodged by naming the feature in the body.
   */
  featureFromBody?: boolean;
  cache?: BudgetCache;
  /** USD estimate of this call before routing; default: estimated tokens at $10 / 1M. */
  estimateUsd?: (c: AccessContext) => Promise<number>;
}

const BodyMetadataSchema = z.object({ metadata: z.object({ feature: z.string().optional() }).passthrough().nullish() }).passthrough();

/** `metadata.feature` of a JSON body, or null (an invalid body is the route's error to report). */
async function bodyFeature(c: AccessContext): Promise<string | null> {
  const parsed = BodyMetadataSchema.safeParse((await peekJsonBody(c)).value);
  return (parsed.success && parsed.data.metadata?.feature) || null;
}

async function defaultEstimate(c: AccessContext): Promise<number> {
  const tokens = c.get("rateLimit")?.estimatedTokens ?? (await estimateBodyTokens(c));
  return estimateCostUsd(tokens);
}

const blockAudits = auditThrottle();

function auditBlock(c: AccessContext, s: BudgetStatus, now: number): void {
  if (!blockAudits.allow(`${c.get("auth").tenantId}|${s.name}`, now)) return;
  const detail = { budget: s.name, limitUsd: s.limitUsd, spentUsd: s.spentUsd };
  runInBackground(c, appendAudit(c.env.DB, c.get("auth").tenantId, { action: "budget.blocked", actor: c.get("auth").keyId, target: s.name, detail }, now));
}

async function raiseAlerts(c: AccessContext, alerts: BudgetStatus[], now: number): Promise<BudgetAlert[]> {
  const { tenantId } = c.get("auth");
  const month = monthLabel(now);
  const raised: BudgetAlert[] = [];
  for (const s of alerts) {
    if (!(await claimBudgetAlert(c.env.DB, tenantId, s.scope, s.scopeId, month, now))) continue;
    const alert: BudgetAlert = { type: "budget_alert", tenantId, budget: s.name, month, spentUsd: s.spentUsd, limitUsd: s.limitUsd, ratio: s.projectedUsd / s.limitUsd };
    raised.push(alert);
    runInBackground(c, appendAudit(c.env.DB, tenantId, { action: "budget.alert", actor: "system", target: s.name, detail: { ...alert } }, now));
  }
  return raised;
}

// Alerts already claimed in this isolate: skip the D1 write on every later request.
const claimedAlerts = new Set<string>();

export function budget(options: BudgetOptions = {}): MiddlewareHandler<AccessEnv> {
  const clock = options.now ?? Date.now;
  const cache = options.cache ?? defaultBudgetCache;
  const estimate = options.estimateUsd ?? defaultEstimate;
  return async (c, next) => {
    const started = performance.now();
    const now = clock();
    const auth = c.get("auth");
    const feature = featureHeader(c) ?? (options.featureFromBody ? () => bodyFeature(c) : null);
    let verdict;
    try {
      verdict = await evaluateBudgets(c.env.DB, auth, feature, () => estimate(c), now, cache);
    } catch (cause) {
      throw new GatewayError("control_failed", "Budget checks are temporarily unavailable.", { cause });
    }
    if (verdict.block) {
      auditBlock(c, verdict.block, now);
      throw new GatewayError("budget_exceeded", `Monthly budget exceeded: ${verdict.block.name} (limit ${verdict.block.limitUsd} USD).`);
    }
    const fresh = verdict.alerts.filter((a) => !claimedAlerts.has(`${auth.tenantId}|${a.name}|${monthLabel(now)}`));
    if (fresh.length > 0) {
      for (const a of fresh) claimedAlerts.add(`${auth.tenantId}|${a.name}|${monthLabel(now)}`);
      // An alert that cannot be recorded must not fail the call it is only warning about.
      const raised = await raiseAlerts(c, fresh, now).catch((err: unknown) => {
        console.warn(JSON.stringify({ event: "budget_alert_failed", error: String(err) }));
        return [];
      });
      if (raised.length > 0) c.set("budgetAlerts", raised);
    }
    c.set("budget", verdict.downgrade ? { downgrade: true, budget: verdict.downgrade.name } : { downgrade: false });
    c.get("timing")?.add("budget", performance.now() - started);
    await next();
  };
}

/** Test hook: forget per-isolate memo of claimed alerts and block audits. */
export function resetBudgetMemo(): void {
  claimedAlerts.clear();
  blockAudits.clear();
}
