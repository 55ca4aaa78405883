/**
 * Per-minute counters of the consumer's events (table usage_counters_minutely, migration 0067;
 * docs/evaluator.md, "The arithmetic at 1k and 10k requests/s", step 4). Written with
 * ROLLUP_DEDUP=message in the same D1 batch as the pack's hourly rollups and under the same gate
 * (pack-rollups.ts), so a pack counts once here too. They are what the alert metrics read instead
 * of the client ledger rows, which LEDGER_SAMPLING leaves out of D1: alert windows start at 5
 * minutes, the hourly rollups are too coarse.
 *
 * The latency histogram is a JSON column ({"<bucket>": count}, shared/latency-histogram.ts
 * buckets) merged key by key on conflict: one row written per (tenant, minute, feature) a pack
 * touches, where a row per bucket would write ~10 more for every pack.
 */
import { bucketSql } from "../../../../shared/latency-histogram";

export const MINUTE_MS = 60_000;
export const minuteOf = (ms: number): number => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/**
 * Days of minute counters kept: alert windows are at most 7 days (shared/alerts/alert-rules.ts),
 * plus a day in which a closed window is evaluated (alerts/evaluate-alerts.ts, windowReadable).
 */
export const MINUTE_COUNTERS_DAYS = 8;

/**
 * The upsert of a pack's counters. `facts` is pack-rollups.ts' FACTS subquery (columns minute,
 * lag_ms, client, err, cost, latency_ms, ...) and `gate` its first-delivery condition.
 */
export const upsertMinuteCounters = (facts: string, gate: string): string => `INSERT INTO usage_counters_minutely
  (tenant_id, minute, feature, events, requests, errors, cost_usd, lag_ms_sum, lag_ms_max, latency_hist)
SELECT tenant_id, minute, feature, SUM(n), SUM(req), SUM(err), SUM(cost), SUM(lag), MAX(lag_max), json_group_object(bucket, req) FILTER (WHERE req > 0)
FROM (
  SELECT tenant_id, minute, feature, CASE WHEN client = 1 THEN ${bucketSql("latency_ms")} ELSE -1 END AS bucket,
    COUNT(*) AS n, SUM(client) AS req, SUM(client * err) AS err, SUM(cost) AS cost, SUM(lag_ms) AS lag, MAX(lag_ms) AS lag_max
  FROM ${facts} WHERE ${gate}
  GROUP BY tenant_id, minute, feature, bucket
) GROUP BY tenant_id, minute, feature
ON CONFLICT (tenant_id, minute, feature) DO UPDATE SET events = events + excluded.events, requests = requests + excluded.requests,
  errors = errors + excluded.errors, cost_usd = cost_usd + excluded.cost_usd, lag_ms_sum = lag_ms_sum + excluded.lag_ms_sum,
  lag_ms_max = MAX(lag_ms_max, excluded.lag_ms_max),
  latency_hist = (SELECT json_group_object(k, s) FROM (SELECT key AS k, SUM(value) AS s FROM (
    SELECT key, value FROM json_each(usage_counters_minutely.latency_hist) UNION ALL SELECT key, value FROM json_each(excluded.latency_hist)) GROUP BY key))`;

/** Rows deleted per cron run at most. */
export const PRUNE_MINUTES_LIMIT = 10_000;

/** Forgets minutes before `before`, a bounded number of rows per run; returns the rows deleted. */
export async function pruneMinuteCounters(db: D1Database, before: number, limit = PRUNE_MINUTES_LIMIT): Promise<number> {
  const res = await db
    .prepare(
      `DELETE FROM usage_counters_minutely WHERE (tenant_id, minute, feature) IN
       (SELECT tenant_id, minute, feature FROM usage_counters_minutely WHERE minute < ?1 ORDER BY minute LIMIT ?2)`,
    )
    .bind(before, limit)
    .run();
  return res.meta.changes ?? 0;
}
