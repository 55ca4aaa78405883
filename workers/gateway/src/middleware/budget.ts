/**
 * `budget()`: admission of a model call, in one RPC to the tenant's RateLimiter object: the
 * rate limits (when `rateLimit()` has not checked them yet) and a reservation of this call's
 * estimated cost on every monthly budget that applies (tenant, key, feature), checked against
 * month-to-date spend plus every call still in flight, whichever isolate admitted it.
 * - policy `block`: 429 budget_exceeded naming the budget, and an audit row (at most one per
 *   budget per minute per isolate, so a client hammering a closed budget cannot flood the log);
 * - policy `downgrade`: past the cap `c.var.budget = { downgrade: true, budget }` and the chat
 *   pipeline serves the call on the cheapest tier the key may use; past the budget's ceiling
 *   (default 1.2 x the cap) 429 budget_exceeded as for `block`;
 * - at 80%: once per budget and month (claimed in D1) an audit row and a `BudgetAlert` in
 *   `c.var.budgetAlerts` for the usage queue.
 * The reservation is settled with the real cost by the route (`settleAdmission`), released
 * here if the call fails before it spent anything, and expires after `leaseMs` otherwise.
 * If budgets cannot be read or the object cannot be reached the call is refused (fail closed,
 * 503): budgets exist to cap spend.
 */
import { z } from "zod";
import type { MiddlewareHandler } from "hono";
import { GatewayError } from "../../../../shared/errors";
import { runInBackground, type AccessContext, type AccessEnv } from "../auth/access-env";
import { appendAudit } from "../../../../shared/audit/hash-chain";
import { auditThrottle } from "../../../../shared/audit/throttle";
import { registryFor } from "../config/registry-loader";
import { claimBudgetAlert } from "../limits/budget-repository";
import { alertsAmong, budgetClaims, defaultBudgetCache, monthLabel, monthStartUtc, type BudgetCache, type BudgetStatus } from "../limits/budget-check";
import type { BudgetClaim, ReserveResult } from "../limits/budget-ledger-core";
import type { BudgetAlert } from "../limits/budget-types";
import { estimateCallCost, type CallKind, type CostEstimate } from "../limits/cost-estimate";
import { defaultLimiterClient, type RateLimiterClient } from "../limits/rate-limit-client";
import type { AdmitResult } from "../limits/tenant-limiter-core";
import { featureHeader } from "../chat/feature";
import { peekJsonBody } from "../http/peek-json-body";
import { addHeaders, applyRateResult, estimateBodyTokens, limiterUnavailable, ratePlan, type RatePlan } from "./rate-limit";
import { settleAdmission } from "./settle-admission";

/** A reservation whose call never settles (crashed isolate) is given back after this long. */
export const DEFAULT_LEASE_MS = 10 * 60_000;

export interface BudgetOptions {
  now?: () => number;
  /**
   * Also take the feature from the body's `metadata.feature` when there is no `X-Feature`
   * header, as the chat route attributes it (chat/feature.ts): otherwise a feature budget could
   * be dodged by naming the feature in the body.
   */
  featureFromBody?: boolean;
  cache?: BudgetCache;
  /** Which route's calls are estimated (embeddings generate no output tokens). */
  kind?: CallKind;
  /** USD estimate of this call before routing; default: priced from the registry (cost-estimate.ts). */
  estimateUsd?: (c: AccessContext) => Promise<number | CostEstimate>;
  client?: (c: AccessContext) => RateLimiterClient;
  leaseMs?: number;
  /** Overrides every tenant's `limiter_fail_mode` for the rate-limit part (tests, benchmarks). */
  failOpen?: boolean;
}

const BodyMetadataSchema = z.object({ metadata: z.object({ feature: z.string().optional() }).passthrough().nullish() }).passthrough();

/** `metadata.feature` of a JSON body, or null (an invalid body is the route's error to report). */
async function bodyFeature(c: AccessContext): Promise<string | null> {
  const parsed = BodyMetadataSchema.safeParse((await peekJsonBody(c)).value);
  return (parsed.success && parsed.data.metadata?.feature) || null;
}

const registryEstimate = (kind: CallKind) => async (c: AccessContext): Promise<CostEstimate> => {
  const body = await peekJsonBody(c);
  return estimateCallCost(registryFor(c.env), c.get("auth"), kind, body.value, body.text.length);
};

const blockAudits = auditThrottle();

function refuse(c: AccessContext, r: Extract<ReserveResult, { ok: false }>, now: number, headers: Record<string, string>): never {
  if (blockAudits.allow(`${c.get("auth").tenantId}|${r.budget}`, now)) {
    const detail = { budget: r.budget, limitUsd: r.limitUsd, spentUsd: r.spentUsd, inFlightUsd: r.inFlightUsd };
    runInBackground(c, appendAudit(c.env.DB, c.get("auth").tenantId, { action: "budget.blocked", actor: c.get("auth").keyId, target: r.budget, detail }, now));
  }
  throw new GatewayError("budget_exceeded", `Monthly budget exceeded: ${r.budget} (limit ${r.limitUsd} USD).`, { headers });
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

async function alertOnce(c: AccessContext, claims: BudgetClaim[], r: Extract<ReserveResult, { ok: true }>, now: number): Promise<void> {
  const { tenantId } = c.get("auth");
  const fresh = alertsAmong(claims, r.budgets).filter((a) => !claimedAlerts.has(`${tenantId}|${a.name}|${monthLabel(now)}`));
  if (fresh.length === 0) return;
  for (const a of fresh) claimedAlerts.add(`${tenantId}|${a.name}|${monthLabel(now)}`);
  // An alert that cannot be recorded must not fail the call it is only warning about.
  const raised = await raiseAlerts(c, fresh, now).catch((err: unknown) => {
    console.warn(JSON.stringify({ event: "budget_alert_failed", error: String(err) }));
    return [];
  });
  if (raised.length > 0) c.set("budgetAlerts", raised);
}

export function budget(options: BudgetOptions = {}): MiddlewareHandler<AccessEnv> {
  const clock = options.now ?? Date.now;
  const cache = options.cache ?? defaultBudgetCache;
  const estimate = options.estimateUsd ?? registryEstimate(options.kind ?? "chat");
  const client = options.client ?? defaultLimiterClient;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  return async (c, next) => {
    const started = performance.now();
    const now = clock();
    const auth = c.get("auth");
    const limits = c.get("limits");
    const feature = featureHeader(c) ?? (options.featureFromBody ? () => bodyFeature(c) : null);
    let claims: BudgetClaim[];
    try {
      claims = await budgetClaims(c.env.DB, auth, feature, now, cache);
    } catch (cause) {
      throw new GatewayError("control_failed", "Budget checks are temporarily unavailable.", { cause });
    }
    const rate: RatePlan | null = limits && !c.get("rateChecked") ? await ratePlan(c, limits, auth.keyId, estimateBodyTokens) : null;
    const checks = rate && rate.consume.checks.length > 0 ? rate.consume : undefined;
    c.set("budget", { downgrade: false });
    if (!checks && claims.length === 0) return next();

    const cost = claims.length > 0 ? await estimate(c) : null;
    const usd = typeof cost === "number" ? { usd: cost, downgradedUsd: cost } : cost;
    const month = monthStartUtc(now);
    const leaseId = `${c.get("requestId") ?? "req"}:${crypto.randomUUID()}`;
    let result: AdmitResult;
    try {
      result = await client(c).admit(auth.tenantId, {
        ...(checks ? { rate: checks } : {}),
        ...(usd ? { budget: { leaseId, month, leaseMs, estimateUsd: usd.usd, downgradedEstimateUsd: usd.downgradedUsd, budgets: claims } } : {}),
      });
    } catch (cause) {
      if (claims.length > 0) throw new GatewayError("control_failed", "Budget checks are temporarily unavailable.", { cause });
      limiterUnavailable(c, cause, options.failOpen ?? limits?.failOpen ?? false);
      return next();
    }
    c.get("timing")?.add("budget", performance.now() - started);
    const headers = rate ? applyRateResult(c, rate, result.rate) : {};
    const reserved = result.budget;
    if (reserved && !reserved.ok) {
      // Refused calls use no tokens: hand the token reservation back.
      void settleAdmission(c, { tokens: 0, costUsd: null }, client);
      refuse(c, reserved, now, headers);
    }
    if (reserved?.ok) {
      c.set("budgetLease", { tenantId: auth.tenantId, leaseId, month, budgets: claims.map((b) => b.name), reservedUsd: reserved.reservedUsd, extraUsd: 0, settled: false });
      c.set("budget", reserved.downgrade ? { downgrade: true, budget: reserved.downgrade } : { downgrade: false });
      await alertOnce(c, claims, reserved, now);
    }
    await next();
    addHeaders(c, headers);
    // Refused or failed before the route settled: nothing was spent, give the reservation back.
    if (c.error || c.res.status >= 400) void settleAdmission(c, { tokens: 0, costUsd: 0 }, client);
  };
}

/** Test hook: forget per-isolate memo of claimed alerts and block audits. */
export function resetBudgetMemo(): void {
  claimedAlerts.clear();
  blockAudits.clear();
}
