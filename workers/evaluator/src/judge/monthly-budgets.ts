/**
 * Judge spend belongs to the call it judges: its ledger rows carry the call's tenant, key and
 * feature (evaluation-store.ts), so the rollups, and through them the gateway's budget checks,
 * count it against the same tenant, key and feature budgets. Judging is spend the tenant did
 * not ask for, so it stops where the gateway stops admitting calls: once a budget the call is
 * charged to has reached its refusal point (a block budget's cap, a downgrade budget's
 * ceiling), the call is not judged. Spend is read from the rollups once per batch, after the
 * batch's own ledger rows are committed, so it lags only by panels running in other batches.
 */
import { refusalPointUsd } from "../../../../shared/budgets";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";

interface BudgetSpend {
  tenant_id: string;
  scope: "tenant" | "key" | "feature";
  scope_id: string;
  policy: "block" | "downgrade";
  monthly_usd: number;
  ceiling_usd: number | null;
  spent: number;
}

// A key budget counts the spend of the key's predecessors too (rotation keeps the budget, as the
// gateway's budget-repository.ts does); key ids are unique across tenants.
const spendSql = (tenants: string) => `WITH RECURSIVE chain(root, id) AS (
  SELECT scope_id, scope_id FROM budgets WHERE scope = 'key' AND tenant_id IN (${tenants})
  UNION SELECT c.root, k.rotated_from FROM api_keys k JOIN chain c ON k.id = c.id WHERE k.rotated_from IS NOT NULL)
SELECT b.tenant_id, b.scope, b.scope_id, b.policy, b.monthly_usd, b.ceiling_usd,
  (SELECT COALESCE(SUM(r.cost_usd), 0) FROM usage_rollups_hourly r WHERE r.tenant_id = b.tenant_id AND r.hour >= ?1
     AND (b.scope = 'tenant' OR (b.scope = 'key' AND r.key_id IN (SELECT id FROM chain WHERE root = b.scope_id))
       OR (b.scope = 'feature' AND r.feature = b.scope_id))) AS spent
FROM budgets b WHERE b.tenant_id IN (${tenants})`;

export const monthStart = (now: number): number => {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};

const applies = (b: BudgetSpend, e: UsageEvent): boolean =>
  b.tenant_id === e.tenantId && (b.scope === "tenant" || (b.scope === "key" && b.scope_id === e.keyId) || (b.scope === "feature" && b.scope_id === (e.feature ?? "")));

/** The events whose judging would spend past a budget they are charged to, with that budget's name. */
export async function exhaustedBudgets(db: D1Database, events: readonly UsageEvent[], now: number): Promise<Map<UsageEvent, string>> {
  const out = new Map<UsageEvent, string>();
  const tenants = [...new Set(events.map((e) => e.tenantId))];
  const rows: BudgetSpend[] = [];
  // One statement per 90 tenants (D1 binds at most 100 parameters).
  for (let i = 0; i < tenants.length; i += 90) {
    const chunk = tenants.slice(i, i + 90);
    const { results } = await db
      .prepare(spendSql(chunk.map((_, k) => `?${k + 2}`).join(", ")))
      .bind(monthStart(now), ...chunk)
      .all<BudgetSpend>();
    rows.push(...results);
  }
  const exhausted = rows.filter((b) => b.spent >= refusalPointUsd(b));
  if (exhausted.length === 0) return out;
  for (const e of events) {
    const b = exhausted.find((x) => applies(x, e));
    if (b) out.set(e, b.scope === "tenant" ? "tenant" : `${b.scope}:${b.scope_id}`);
  }
  return out;
}

/**
 * The items whose judging (panel or cache audit) stays within their budgets; the others are
 * left unjudged, with a log line naming the budget (no evaluation row: nothing was judged).
 */
export async function judgingWithinBudget<T extends { event: UsageEvent }>(db: D1Database, items: readonly T[], now: number): Promise<T[]> {
  if (items.length === 0) return [];
  const exhausted = await exhaustedBudgets(db, items.map((it) => it.event), now);
  if (exhausted.size === 0) return [...items];
  return items.filter((it) => {
    const budget = exhausted.get(it.event);
    if (budget) console.log(JSON.stringify({ event: "judging_skipped_budget", requestId: it.event.requestId, budget }));
    return budget === undefined;
  });
}
