/**
 * Alert metric values for one tenant over [from, to): read from the ledger (or, with
 * ROLLUP_DEDUP=message, the per-minute counters: counter-metrics.ts), evaluations and drift
 * snapshots. null = no data in the window (a rule never fires on no data). Requests, latency,
 * errors and judge scores are the clients' (no escalated cascade draft); spend is all.
 */
import { z } from "zod";
import { ERROR_STATUS_SQL } from "../../../../shared/schemas/usage-event";
import type { AlertMetric } from "../../../../shared/alerts/alert-rules";
import { counterErrorRate, counterLatencyP95, counterSpend } from "./counter-metrics";

/** Where spend, errors and latency come from: client ledger rows, or the per-minute counters (ROLLUP_DEDUP=message). */
export type MetricSource = "ledger" | "counters";

export const metricSourceFromEnv = (env: Record<string, unknown>): MetricSource => (env["ROLLUP_DEDUP"] === "message" ? "counters" : "ledger");

const Num = z.object({ v: z.number().nullable() });

async function one(db: D1Database, sql: string, ...args: unknown[]): Promise<number | null> {
  const row = await db.prepare(sql).bind(...args).first();
  return row ? Num.parse(row).v : null;
}

async function p95Latency(db: D1Database, tenantId: string, from: number, to: number): Promise<number | null> {
  const n = await one(db, "SELECT COUNT(*) AS v FROM usage_ledger WHERE tenant_id = ?1 AND kind = 'request' AND parent_request_id IS NULL AND completed_at >= ?2 AND completed_at < ?3", tenantId, from, to);
  if (!n) return null;
  // Nearest-rank p95: the ceil(0.95 n)-th smallest value.
  const offset = Math.max(0, Math.ceil(0.95 * n) - 1);
  return one(
    db,
    "SELECT latency_ms AS v FROM usage_ledger WHERE tenant_id = ?1 AND kind = 'request' AND parent_request_id IS NULL AND completed_at >= ?2 AND completed_at < ?3 ORDER BY latency_ms LIMIT 1 OFFSET ?4",
    tenantId, from, to, offset,
  );
}

export async function metricValue(db: D1Database, tenantId: string, metric: AlertMetric, from: number, to: number, source: MetricSource = "ledger"): Promise<number | null> {
  if (source === "counters" && metric !== "judge_score_mean" && metric !== "drift_psi") {
    if (metric === "spend_usd") return counterSpend(db, tenantId, from, to);
    return metric === "error_rate" ? counterErrorRate(db, tenantId, from, to) : counterLatencyP95(db, tenantId, from, to);
  }
  switch (metric) {
    case "judge_score_mean":
      return one(db, "SELECT AVG(score_mean) AS v FROM evaluations WHERE tenant_id = ?1 AND status = 'ok' AND substr(request_id, -6) != ':draft' AND substr(request_id, -7) != ':shadow' AND sampled = 1 AND completed_at >= ?2 AND completed_at < ?3", tenantId, from, to);
    case "error_rate":
      return one(
        db,
        `SELECT CASE WHEN COUNT(*) = 0 THEN NULL ELSE SUM(CASE WHEN ${ERROR_STATUS_SQL} THEN 1.0 ELSE 0 END) / COUNT(*) END AS v FROM usage_ledger WHERE tenant_id = ?1 AND kind = 'request' AND parent_request_id IS NULL AND completed_at >= ?2 AND completed_at < ?3`,
        tenantId, from, to,
      );
    case "latency_p95":
      return p95Latency(db, tenantId, from, to);
    case "spend_usd":
      return one(db, "SELECT SUM(cost_usd) AS v FROM usage_ledger WHERE tenant_id = ?1 AND completed_at >= ?2 AND completed_at < ?3", tenantId, from, to);
    case "drift_psi":
      // Hourly snapshots of the hours that start in the window (drift runs after each hour closes).
      return one(db, "SELECT MAX(psi) AS v FROM drift_snapshots WHERE tenant_id = ?1 AND period = 'hour' AND window_start >= ?2 AND window_start < ?3", tenantId, from, to);
  }
}

export function crosses(value: number, comparator: "gt" | "gte" | "lt" | "lte", threshold: number): boolean {
  if (comparator === "gt") return value > threshold;
  if (comparator === "gte") return value >= threshold;
  if (comparator === "lt") return value < threshold;
  return value <= threshold;
}
