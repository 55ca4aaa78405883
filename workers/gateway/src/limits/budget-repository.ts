/**
 * Data access for budgets, limits and month-to-date spend; every query takes the tenant.
 * Spend comes from the evaluator's hourly rollups (usage_rollups_hourly, migration 0011), which
 * are keyed by (tenant_id, hour, ...) so a month is ~720 index-ordered rows per tenant, not a
 * ledger scan. If the rollups table is missing (evaluator migrations not applied), spend reads
 * as 0 and a warning is logged: budgets then only count the current call's estimate.
 */
import { z } from "zod";
import { BUDGET_POLICIES, BUDGET_SCOPES, type BudgetScope, type LimiterFailMode } from "./budget-types";

export const BudgetRowSchema = z.object({
  tenant_id: z.string(),
  scope: z.enum(BUDGET_SCOPES),
  scope_id: z.string(),
  monthly_usd: z.number().nonnegative(),
  policy: z.enum(BUDGET_POLICIES),
  /** Downgrade budgets only: spend past this blocks; null = DEFAULT_CEILING_RATIO x monthly_usd. */
  ceiling_usd: z.number().nonnegative().nullable(),
  updated_at: z.number(),
});
export type BudgetRow = z.infer<typeof BudgetRowSchema>;
export type BudgetRowInput = Omit<BudgetRow, "tenant_id" | "ceiling_usd"> & { ceiling_usd?: number | null };

export async function listBudgets(db: D1Database, tenantId: string): Promise<BudgetRow[]> {
  const { results } = await db
    .prepare("SELECT tenant_id, scope, scope_id, monthly_usd, policy, ceiling_usd, updated_at FROM budgets WHERE tenant_id = ? ORDER BY scope, scope_id")
    .bind(tenantId)
    .all();
  return z.array(BudgetRowSchema).parse(results);
}

/** PUT semantics: the statements replace all budgets of the tenant (run them in one batch). */
export function replaceBudgetsStmts(db: D1Database, tenantId: string, rows: BudgetRowInput[]): D1PreparedStatement[] {
  return [
    db.prepare("DELETE FROM budgets WHERE tenant_id = ?").bind(tenantId),
    ...rows.map((r) =>
      db
        .prepare("INSERT INTO budgets (tenant_id, scope, scope_id, monthly_usd, policy, ceiling_usd, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(tenantId, r.scope, r.scope_id, r.monthly_usd, r.policy, r.ceiling_usd ?? null, r.updated_at),
    ),
  ];
}

export interface LimitsInput {
  tenant_requests_per_minute: number | null;
  tenant_tokens_per_minute: number | null;
  key_requests_per_minute: number | null;
  key_tokens_per_minute: number | null;
  /** When the tenant's limiter is unreachable: refuse (closed, the default) or let calls through (open). */
  limiter_fail_mode?: LimiterFailMode | null;
}

export function upsertLimitsStmt(db: D1Database, tenantId: string, l: LimitsInput, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO tenant_limits (tenant_id, tenant_requests_per_minute, tenant_tokens_per_minute, key_requests_per_minute, key_tokens_per_minute, limiter_fail_mode, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id) DO UPDATE SET tenant_requests_per_minute = excluded.tenant_requests_per_minute,
         tenant_tokens_per_minute = excluded.tenant_tokens_per_minute, key_requests_per_minute = excluded.key_requests_per_minute,
         key_tokens_per_minute = excluded.key_tokens_per_minute, limiter_fail_mode = excluded.limiter_fail_mode, updated_at = excluded.updated_at`,
    )
    .bind(tenantId, l.tenant_requests_per_minute, l.tenant_tokens_per_minute, l.key_requests_per_minute, l.key_tokens_per_minute, l.limiter_fail_mode ?? null, now);
}

export async function getLimits(db: D1Database, tenantId: string): Promise<LimitsInput | null> {
  return db
    .prepare("SELECT tenant_requests_per_minute, tenant_tokens_per_minute, key_requests_per_minute, key_tokens_per_minute, limiter_fail_mode FROM tenant_limits WHERE tenant_id = ?")
    .bind(tenantId)
    .first<LimitsInput>();
}

let warnedMissingRollups = false;

/**
 * A key budget counts the spend of the key's predecessors too: a rotated key's successor
 * inherits its budget (auth/key-service.ts), and rotating must not reset the month's spend.
 * The lineage follows api_keys.rotated_from within the tenant.
 */
const KEY_LINEAGE = `key_id IN (WITH RECURSIVE lineage(id) AS (SELECT ?3 UNION SELECT k.rotated_from FROM api_keys k JOIN lineage l ON k.id = l.id
  WHERE k.tenant_id = ?1 AND k.rotated_from IS NOT NULL) SELECT id FROM lineage)`;

/** Month-to-date spend in USD for one budget scope, from hour `sinceMs` on. */
export async function spendSince(db: D1Database, tenantId: string, scope: BudgetScope, scopeId: string, sinceMs: number): Promise<number> {
  const filter = scope === "key" ? ` AND ${KEY_LINEAGE}` : scope === "feature" ? " AND feature = ?3" : "";
  const binds: (string | number)[] = scope === "tenant" ? [tenantId, sinceMs] : [tenantId, sinceMs, scopeId];
  try {
    const v = await db
      .prepare(`SELECT COALESCE(SUM(cost_usd), 0) AS spent FROM usage_rollups_hourly WHERE tenant_id = ?1 AND hour >= ?2${filter}`)
      .bind(...binds)
      .first<number>("spent");
    return v ?? 0;
  } catch (err) {
    if (!/no such table/i.test(String(err))) throw err;
    if (!warnedMissingRollups) console.warn(JSON.stringify({ event: "budget_spend_unavailable", reason: "usage_rollups_hourly missing" }));
    warnedMissingRollups = true;
    return 0;
  }
}

/** Records the alert for this budget and month; true only for the first caller (INSERT OR IGNORE). */
export async function claimBudgetAlert(db: D1Database, tenantId: string, scope: BudgetScope, scopeId: string, month: string, now: number): Promise<boolean> {
  const r = await db
    .prepare("INSERT OR IGNORE INTO budget_alerts (tenant_id, scope, scope_id, month, created_at) VALUES (?, ?, ?, ?, ?)")
    .bind(tenantId, scope, scopeId, month, now)
    .run();
  return (r.meta.changes ?? 0) > 0;
}
