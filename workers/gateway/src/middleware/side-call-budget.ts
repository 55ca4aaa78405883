/**
 * Budget admission of a model call the gateway makes on its own after the request's answer was
 * published (a shadow call, chat/shadow-tier.ts). The request's own lease is settled by then, so
 * the side call reserves its own estimate on the same budgets (tenant, the caller's key, the
 * request's feature) in the same tenant RateLimiter object, and settles it with its real cost
 * through `settleLease`, as the request does through `settleAdmission`.
 *
 * Stricter than admitting a client's call, because nobody asked for this one: a budget at its
 * cap refuses it whatever its policy (a downgrade budget's cap, not its ceiling: a tenant whose
 * calls are being forced onto the cheapest tier pays for no shadow), and budgets that cannot be
 * read or an object that cannot be reached refuse it too (fail closed).
 */
import type { Context } from "hono";
import type { AccessContext } from "../auth/access-env";
import { budgetClaims, defaultBudgetCache, monthStartUtc, type BudgetCache } from "../limits/budget-check";
import type { BudgetClaim } from "../limits/budget-ledger-core";
import { defaultLimiterClient } from "../limits/rate-limit-client";
import type { BudgetLease } from "../limits/rate-limit-types";
import { DEFAULT_LEASE_MS } from "./budget";
import { settleLease, type ClientFactory } from "./settle-admission";

export type SideCallRefusal = "budget_exceeded" | "budget_unavailable";

export type SideCallGrant =
  /** `settle(costUsd)` ends the reservation with the real cost (0 releases it); only the first call counts. */
  | { ok: true; settle: (costUsd: number) => Promise<void> }
  | { ok: false; reason: SideCallRefusal; budget: string | null };

export interface SideCall {
  /** Names the lease beside the request's (`<requestId>:<label>:<uuid>`), e.g. `shadow`. */
  label: string;
  feature: string | null;
  /** What the call may cost, priced as admission prices a request (limits/cost-estimate.ts). */
  estimateUsd: number;
}

export interface SideCallDeps {
  client?: ClientFactory;
  cache?: BudgetCache;
  now?: () => number;
  leaseMs?: number;
}

const released = (): Promise<void> => Promise.resolve();

/** A downgrade budget's ceiling is lowered to its cap: past the cap a side call is refused, not downgraded. */
const atCap = (claims: readonly BudgetClaim[]): BudgetClaim[] => claims.map((b) => ({ ...b, ceilingUsd: b.limitUsd }));

export async function reserveSideCall(c: Context, call: SideCall, deps: SideCallDeps = {}): Promise<SideCallGrant> {
  const ctx = c as AccessContext;
  const client = deps.client ?? defaultLimiterClient;
  const now = (deps.now ?? Date.now)();
  const auth = ctx.get("auth");
  try {
    const claims = await budgetClaims(ctx.env.DB, auth, call.feature, now, deps.cache ?? defaultBudgetCache);
    if (claims.length === 0) return { ok: true, settle: released };
    const month = monthStartUtc(now);
    const leaseId = `${ctx.get("requestId") ?? "req"}:${call.label}:${crypto.randomUUID()}`;
    const budget = { leaseId, month, leaseMs: deps.leaseMs ?? DEFAULT_LEASE_MS, estimateUsd: call.estimateUsd, downgradedEstimateUsd: call.estimateUsd, budgets: atCap(claims) };
    const reserved = (await client(ctx).admit(auth.tenantId, { budget })).budget;
    if (!reserved) return { ok: false, reason: "budget_unavailable", budget: null };
    if (!reserved.ok) return { ok: false, reason: "budget_exceeded", budget: reserved.budget };
    const lease: BudgetLease = { tenantId: auth.tenantId, leaseId, month, budgets: claims.map((b) => b.name), reservedUsd: reserved.reservedUsd, extraUsd: 0, settled: false };
    return { ok: true, settle: (costUsd) => settleLease(c, lease, costUsd, client) };
  } catch {
    return { ok: false, reason: "budget_unavailable", budget: null };
  }
}
