/**
 * Where /metrics gets its numbers, all shared across isolates:
 *  - business counters (requests, errors, cache hits, tokens, cost) from the evaluator's hourly
 *    rollups in D1, the same rows GET /v1/usage sums, so the two always agree (after the queue);
 *  - live counters (HTTP, latency and TTFT histograms, route decisions, upstream errors, cache
 *    lookups) from the MetricsAggregator Durable Object;
 *  - circuit-breaker phases from the CircuitBreaker objects, one per registry model;
 *  - the evaluator's queue lag from the ledger rows (or per-minute counters) of the last 5 minutes, and
 *    from the events published but not yet recorded (queue-backlog.ts), so a stalled consumer shows.
 */
import type { ModelRegistry } from "../../config/model-registry";
import type { CircuitBreaker } from "../../router/attempts/circuit-breaker";
import { featureFilter, type FeatureScope } from "../../usage/feature-scope";
import type { Backlog } from "./queue-backlog";
import { labelText, seriesKey } from "./series";

export interface RollupTotals {
  tenant_id: string;
  feature: string;
  model: string;
  tier: string;
  kind: string;
  requests: number;
  errors: number;
  cache_hits: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  cost_avoided_usd: number;
}

/** A feature-restricted key (features not null) reads its own tenant's rows of those features only. */
export async function rollupTotals(db: D1Database, tenantId: string | null, features: FeatureScope = null): Promise<RollupTotals[]> {
  const only = featureFilter(tenantId === null ? null : features, 2);
  const where = tenantId === null ? "" : `WHERE tenant_id = ?1${only.sql}`;
  const stmt = db.prepare(
    `SELECT tenant_id, feature, model, tier, kind, SUM(requests) AS requests, SUM(errors) AS errors, SUM(cache_hits) AS cache_hits,
       SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens, SUM(cached_tokens) AS cached_tokens,
       SUM(reasoning_tokens) AS reasoning_tokens, SUM(cost_usd) AS cost_usd, SUM(cost_avoided_usd) AS cost_avoided_usd
     FROM usage_rollups_hourly ${where} GROUP BY tenant_id, feature, model, tier, kind LIMIT 50000`,
  );
  const { results } = await (tenantId === null ? stmt : stmt.bind(tenantId, ...only.binds)).all<RollupTotals>();
  return results;
}

export interface BusinessSeries {
  requests: Record<string, number>;
  errors: Record<string, number>;
  cacheHits: Record<string, number>;
  tokens: Record<string, number>;
  cost: Record<string, number>;
  costAvoided: Record<string, number>;
  hitRatio: Record<string, number>;
}

export function businessSeries(rows: readonly RollupTotals[]): BusinessSeries {
  const s: BusinessSeries = { requests: {}, errors: {}, cacheHits: {}, tokens: {}, cost: {}, costAvoided: {}, hitRatio: {} };
  const perTenant = new Map<string, { requests: number; hits: number }>();
  for (const r of rows) {
    const base = { tenant: r.tenant_id, feature: r.feature, model: r.model, tier: r.tier, kind: r.kind };
    const l = labelText(base);
    s.requests[seriesKey("gateway_requests_total", l)] = r.requests;
    s.errors[seriesKey("gateway_request_errors_total", l)] = r.errors;
    s.cacheHits[seriesKey("gateway_cache_hits_total", l)] = r.cache_hits;
    s.cost[seriesKey("gateway_cost_usd_total", l)] = r.cost_usd;
    s.costAvoided[seriesKey("gateway_cost_avoided_usd_total", l)] = r.cost_avoided_usd;
    for (const [type, n] of [["input", r.prompt_tokens], ["output", r.completion_tokens], ["cached_input", r.cached_tokens], ["reasoning", r.reasoning_tokens]] as const) {
      s.tokens[seriesKey("gateway_tokens_total", labelText({ ...base, type }))] = n;
    }
    if (r.kind === "request") {
      const t = perTenant.get(r.tenant_id) ?? { requests: 0, hits: 0 };
      perTenant.set(r.tenant_id, { requests: t.requests + r.requests, hits: t.hits + r.cache_hits });
    }
  }
  for (const [tenant, t] of perTenant) if (t.requests > 0) s.hitRatio[seriesKey("gateway_cache_hit_ratio", labelText({ tenant }))] = t.hits / t.requests;
  return s;
}

const PHASES = ["closed", "open", "half-open"] as const;

/** One gauge per (model, phase): 1 for the phase the breaker is in (the enum-as-gauge convention). */
export async function breakerSeries(ns: DurableObjectNamespace<CircuitBreaker>, registry: ModelRegistry): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  await Promise.all(
    registry.models.map(async (m) => {
      let phase: string;
      try {
        phase = (await ns.get(ns.idFromName(m.id)).view()).phase;
      } catch {
        return; // unknown: no sample rather than a wrong one
      }
      for (const p of PHASES) out[seriesKey("gateway_circuit_breaker_state", labelText({ model: m.id, state: p }))] = p === phase ? 1 : 0;
    }),
  );
  return out;
}

export const LAG_WINDOW_MS = 5 * 60_000;
/** The evaluator's counters are per minute (usage_counters_minutely.minute is a minute's first ms). */
const LAG_MINUTE_MS = 60_000;

/**
 * Seconds from a request's completion to its ledger row (queue + consumer): avg over the last 5
 * minutes of ingestion; max over those AND the events still waiting (backlog, when the live
 * metrics run), so that max and oldest_unconsumed grow while the consumer is stalled. Read from
 * the evaluator's per-minute counters when they count more events than the ledger holds (with
 * ROLLUP_DEDUP=message and LEDGER_SAMPLING the ledger is a sample; the counters' window starts
 * at the minute holding `now - 5 min`).
 */
export async function queueLagSeries(db: D1Database, tenantId: string | null, now: number, features: FeatureScope = null, backlog: Backlog | null = null): Promise<Record<string, number>> {
  const since = now - LAG_WINDOW_MS;
  const only = featureFilter(tenantId === null ? null : features, 3);
  // The ledger is indexed by (tenant, completed_at): the tenants come from this hour's rollups.
  const tenants = tenantId === null ? "SELECT DISTINCT tenant_id FROM usage_rollups_hourly WHERE hour >= ?2" : "?2";
  const row = await db
    .prepare(
      `SELECT CASE WHEN c.n > l.n THEN c.n ELSE l.n END AS n, CASE WHEN c.n > l.n THEN c.s * 1.0 / c.n ELSE l.avg_ms END AS avg_ms,
         CASE WHEN c.n > l.n THEN c.mx ELSE l.max_ms END AS max_ms
       FROM (SELECT COUNT(*) AS n, AVG(ingested_at - completed_at) AS avg_ms, MAX(ingested_at - completed_at) AS max_ms FROM usage_ledger
         WHERE tenant_id IN (${tenants}) AND completed_at >= ?1 AND kind = 'request'${only.sql}) l,
       (SELECT COALESCE(SUM(events), 0) AS n, SUM(lag_ms_sum) AS s, MAX(lag_ms_max) AS mx FROM usage_counters_minutely
         WHERE tenant_id IN (${tenants}) AND minute >= CAST(?1 / ${LAG_MINUTE_MS} AS INTEGER) * ${LAG_MINUTE_MS}${only.sql}) c`,
    )
    .bind(since, tenantId ?? Math.floor(since / 3_600_000) * 3_600_000, ...only.binds)
    .first<{ n: number; avg_ms: number | null; max_ms: number | null }>();
  const waiting = backlog?.oldestAt != null ? Math.max(0, (now - backlog.oldestAt) / 1000) : 0;
  const out: Record<string, number> = {
    [seriesKey("gateway_evaluator_queue_lag_seconds", labelText({ stat: "avg" }))]: Math.max(0, (row?.avg_ms ?? 0) / 1000),
    [seriesKey("gateway_evaluator_queue_lag_seconds", labelText({ stat: "max" }))]: Math.max(0, (row?.max_ms ?? 0) / 1000, waiting),
    [seriesKey("gateway_evaluator_events_recent", "")]: row?.n ?? 0,
  };
  if (backlog) {
    out[seriesKey("gateway_evaluator_queue_lag_seconds", labelText({ stat: "oldest_unconsumed" }))] = waiting;
    out[seriesKey("gateway_evaluator_queue_backlog_events", "")] = backlog.events;
  }
  return out;
}
