/**
 * Monthly budgets: which apply to this call (tenant, the caller's key, the request's feature)
 * and their month-to-date spend from the rollups. The verdict is the tenant's Durable Object's
 * (budget-ledger-core.ts), which also counts calls in flight and spend not yet rolled up.
 * Budgets and spend are cached in the isolate for BUDGET_CACHE_MS: the object keeps what it
 * saw settled meanwhile, so the cache costs no accuracy and saves two D1 reads per request.
 */
import type { AuthContext } from "../app-env";
import { TtlCache } from "../../../../shared/ttl-cache";
import { listBudgets, spendSince, type BudgetRow } from "./budget-repository";
import type { BudgetClaim, BudgetState } from "./budget-ledger-core";
import { refusalPointUsd } from "../../../../shared/budgets";
import type { BudgetPolicy, BudgetScope } from "./budget-types";

export const BUDGET_CACHE_MS = 10_000;
export const ALERT_RATIO = 0.8;

export interface BudgetStatus {
  name: string;
  scope: BudgetScope;
  scopeId: string;
  policy: BudgetPolicy;
  limitUsd: number;
  spentUsd: number;
  projectedUsd: number;
}

export const monthStartUtc = (now: number): number => {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
export const monthLabel = (now: number): string => new Date(now).toISOString().slice(0, 7);

const nameOf = (b: BudgetRow): string => (b.scope === "tenant" ? "tenant" : `${b.scope}:${b.scope_id}`);

/** At most this many tenants' budgets and budget scopes' spend are remembered per isolate. */
const MAX_CACHED = 10_000;

export class BudgetCache {
  private readonly budgets: TtlCache<BudgetRow[]>;
  private readonly spend: TtlCache<number>;
  constructor(ttlMs = BUDGET_CACHE_MS) {
    this.budgets = new TtlCache({ ttlMs, maxEntries: MAX_CACHED });
    this.spend = new TtlCache({ ttlMs, maxEntries: MAX_CACHED });
  }

  budgetsFor(db: D1Database, tenantId: string, now: number): Promise<BudgetRow[]> {
    return this.budgets.get(tenantId, now, () => listBudgets(db, tenantId));
  }

  spendFor(db: D1Database, b: BudgetRow, now: number): Promise<number> {
    const since = monthStartUtc(now);
    return this.spend.get(`${b.tenant_id}|${b.scope}|${b.scope_id}|${since}`, now, () => spendSince(db, b.tenant_id, b.scope, b.scope_id, since));
  }

  clear(): void {
    this.budgets.clear();
    this.spend.clear();
  }
}

export const defaultBudgetCache = new BudgetCache();

/** The budgets this call is charged to (tenant, the caller's key, the request's feature), with their rollup spend. */
export async function budgetClaims(
  db: D1Database,
  auth: AuthContext,
  feature: string | null | (() => Promise<string | null>),
  now: number,
  cache = defaultBudgetCache,
): Promise<BudgetClaim[]> {
  const all = await cache.budgetsFor(db, auth.tenantId, now);
  if (all.length === 0) return [];
  // A lazy feature (read from the body) is resolved only when the tenant has feature budgets.
  const name = typeof feature === "function" ? (all.some((b) => b.scope === "feature") ? await feature() : null) : feature;
  const applicable = all.filter((b) => b.scope === "tenant" || (b.scope === "key" && b.scope_id === auth.keyId) || (b.scope === "feature" && b.scope_id === name));
  return Promise.all(
    applicable.map(async (b): Promise<BudgetClaim> => ({
      name: nameOf(b),
      policy: b.policy,
      limitUsd: b.monthly_usd,
      ceilingUsd: refusalPointUsd(b),
      rollupUsd: await cache.spendFor(db, b, now),
    })),
  );
}

/** Budgets at or past ALERT_RATIO of their cap once this call's reservation is counted. */
export function alertsAmong(claims: readonly BudgetClaim[], states: readonly BudgetState[]): BudgetStatus[] {
  const out: BudgetStatus[] = [];
  for (const c of claims) {
    const s = states.find((x) => x.name === c.name);
    if (!s || c.limitUsd <= 0) continue;
    const projectedUsd = s.spentUsd + s.inFlightUsd;
    if (projectedUsd < c.limitUsd * ALERT_RATIO) continue;
    const [scope, ...rest] = c.name.split(":");
    out.push({ name: c.name, scope: scope as BudgetScope, scopeId: rest.join(":"), policy: c.policy, limitUsd: c.limitUsd, spentUsd: s.spentUsd, projectedUsd });
  }
  return out;
}
