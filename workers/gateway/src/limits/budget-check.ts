/**
 * Monthly budget evaluation: which budgets apply to this call (tenant, the caller's key, the
 * request's feature), their month-to-date spend from the rollups plus this call's estimate,
 * and the verdict. Budgets and spend are cached in the isolate for BUDGET_CACHE_MS: spend
 * reaches the ledger through a queue anyway, so a few seconds more staleness changes little
 * and saves two D1 reads per request.
 */
import type { AuthContext } from "../app-env";
import { TtlCache } from "../../../../shared/ttl-cache";
import { listBudgets, spendSince, type BudgetRow } from "./budget-repository";
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

export interface BudgetVerdict {
  block: BudgetStatus | null;
  downgrade: BudgetStatus | null;
  alerts: BudgetStatus[];
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

export async function evaluateBudgets(
  db: D1Database,
  auth: AuthContext,
  feature: string | null | (() => Promise<string | null>),
  estimate: number | (() => Promise<number>),
  now: number,
  cache = defaultBudgetCache,
): Promise<BudgetVerdict> {
  const all = await cache.budgetsFor(db, auth.tenantId, now);
  // A lazy feature (read from the body) is resolved only when the tenant has feature budgets.
  const name = typeof feature === "function" ? (all.some((b) => b.scope === "feature") ? await feature() : null) : feature;
  const applicable = all.filter((b) => b.scope === "tenant" || (b.scope === "key" && b.scope_id === auth.keyId) || (b.scope === "feature" && b.scope_id === name));
  if (applicable.length === 0) return { block: null, downgrade: null, alerts: [] };
  // Estimating parses the body: only worth it when a budget applies.
  const estimateUsd = typeof estimate === "number" ? estimate : await estimate();
  const statuses = await Promise.all(
    applicable.map(async (b): Promise<BudgetStatus> => {
      const spentUsd = await cache.spendFor(db, b, now);
      return { name: nameOf(b), scope: b.scope, scopeId: b.scope_id, policy: b.policy, limitUsd: b.monthly_usd, spentUsd, projectedUsd: spentUsd + estimateUsd };
    }),
  );
  const over = statuses.filter((s) => s.projectedUsd >= s.limitUsd);
  return {
    block: over.find((s) => s.policy === "block") ?? null,
    downgrade: over.find((s) => s.policy === "downgrade") ?? null,
    alerts: statuses.filter((s) => s.limitUsd > 0 && s.projectedUsd >= s.limitUsd * ALERT_RATIO),
  };
}
