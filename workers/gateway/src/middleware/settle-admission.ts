/**
 * Ends what `rateLimit()` / `budget()` reserved in the tenant's RateLimiter object, in one RPC:
 * the token buckets are corrected to the real usage and the budget reservation is replaced by
 * the real cost (0 releases it). Once per request; safe to call when nothing was reserved.
 * Runs in the background (ctx.waitUntil) and returns its promise for tests.
 */
import type { Context } from "hono";
import { runInBackground, type AccessContext } from "../auth/access-env";
import { defaultLimiterClient, type RateLimiterClient } from "../limits/rate-limit-client";
import type { BudgetLease } from "../limits/rate-limit-types";
import type { SettleAdmission } from "../limits/tenant-limiter-core";

export interface Settlement {
  /** Input + output tokens the call really used; null = leave the token reservation alone. */
  tokens: number | null;
  /** What the call really cost in USD; null = leave the budget reservation alone. */
  costUsd: number | null;
}

export type ClientFactory = (c: AccessContext) => RateLimiterClient;

function tokenAdjustments(ctx: AccessContext, tokens: number | null): SettleAdmission["rate"] {
  const r = ctx.get("rateLimit");
  if (tokens === null || !r || r.settled) return undefined;
  r.settled = true;
  const actual = Math.max(0, tokens);
  // Each bucket is corrected by what it was actually charged: consume caps a charge at the
  // bucket's per-minute limit, so refunding the whole estimate (e.g. max_tokens: 100000 against
  // a 10k limit) would hand back tokens never taken and let the real usage go uncounted.
  const adjustments = r.buckets
    .map((b) => {
      const [id = "", limit = "1"] = b.split("|");
      const limitPerMinute = Number(limit);
      return { id, limitPerMinute, delta: actual - Math.min(r.estimatedTokens, limitPerMinute) };
    })
    .filter((a) => a.delta !== 0);
  return adjustments.length > 0 ? { adjustments } : undefined;
}

function budgetRelease(lease: BudgetLease | undefined, costUsd: number | null): SettleAdmission["budget"] {
  if (costUsd === null || !lease || lease.settled) return undefined;
  lease.settled = true;
  return { leaseId: lease.leaseId, month: lease.month, budgets: lease.budgets, costUsd: Math.max(0, costUsd) + lease.extraUsd };
}

export function settleAdmission(c: Context, settlement: Settlement, client: ClientFactory = defaultLimiterClient): Promise<void> {
  const ctx = c as AccessContext;
  const rate = tokenAdjustments(ctx, settlement.tokens);
  const budget = budgetRelease(ctx.get("budgetLease"), settlement.costUsd);
  if (!rate && !budget) return Promise.resolve();
  return send(c, ctx.get("auth").tenantId, { ...(rate ? { rate } : {}), ...(budget ? { budget } : {}) }, client);
}

function send(c: Context, tenantId: string, req: SettleAdmission, client: ClientFactory): Promise<void> {
  const work = client(c as AccessContext).settle(tenantId, req);
  runInBackground(c, work);
  return work.catch(() => undefined);
}

/**
 * Settles a lease the request holds beside its own (a background shadow call's, side-call-budget.ts)
 * the same way: once, with the real cost (0 releases it), in the background.
 */
export function settleLease(c: Context, lease: BudgetLease, costUsd: number, client: ClientFactory = defaultLimiterClient): Promise<void> {
  const budget = budgetRelease(lease, costUsd);
  return budget ? send(c, lease.tenantId, { budget }, client) : Promise.resolve();
}

/** Books spend of a side call (e.g. a rejected cascade draft) to settle with the request. */
export function chargeBudget(c: Context, usd: number): void {
  const lease = (c as AccessContext).get("budgetLease");
  if (lease && !lease.settled && usd > 0) lease.extraUsd += usd;
}
