/**
 * What is still on the usage queue: the gateway's count of published events per (tenant,
 * feature, minute) (published.ts, summed in the MetricsAggregator) against the ledger rows the
 * evaluator wrote for the same keys. A bucket with more published than recorded holds waiting
 * events; the oldest such bucket's first completedAt gives the age of the oldest unconsumed
 * event, which keeps growing while the consumer is stalled (the ledger alone cannot show
 * that: nothing stalled is ever recorded). The age is an upper bound by less than a minute (the
 * waiting event may be any one of its bucket's).
 *
 * "Recorded" is the larger of the ledger's count and the evaluator's per-minute counters
 * (usage_counters_minutely, written with ROLLUP_DEDUP=message): with LEDGER_SAMPLING only a
 * sample of the rows is in the ledger, while the counters count every event; with "ledger" the
 * counters are empty and the ledger decides. Right in both modes without knowing which runs.
 */
import { featureFilter, type FeatureScope } from "../../usage/feature-scope";
import type { MetricsAggregator } from "./aggregator";
import { BUCKET_MS, type PublishedBucket } from "./published";

/**
 * A matched bucket is forgotten once late flushes can no longer add to it (isolates flush every
 * 5 s); a late count landing after that is dropped, which can only under-count.
 */
export const SETTLE_MS = 2 * 60_000;

export interface Backlog {
  events: number;
  /** completedAt (ms) of the oldest event still waiting; null when none waits. */
  oldestAt: number | null;
}

const keyOf = (tenant: string, feature: string, minute: number): string => `${tenant}\u0000${feature}\u0000${minute}`;

/** Pure part: which buckets still wait, and which can be forgotten. */
export function compareBuckets(published: readonly PublishedBucket[], recorded: ReadonlyMap<string, number>, now: number): Backlog & { settled: PublishedBucket[] } {
  let events = 0;
  let oldestAt: number | null = null;
  const settled: PublishedBucket[] = [];
  for (const b of published) {
    const waiting = b.n - (recorded.get(keyOf(b.tenant, b.feature, b.minute)) ?? 0);
    if (waiting > 0) {
      events += waiting;
      oldestAt = oldestAt === null ? b.firstAt : Math.min(oldestAt, b.firstAt);
    } else if ((b.minute + 1) * BUCKET_MS < now - SETTLE_MS) {
      settled.push(b);
    }
  }
  return { events, oldestAt, settled };
}

export async function recordedCounts(db: D1Database, buckets: readonly PublishedBucket[], features: FeatureScope): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (buckets.length === 0) return out;
  const tenants = [...new Set(buckets.map((b) => b.tenant))];
  const from = Math.min(...buckets.map((b) => b.minute)) * BUCKET_MS;
  const only = featureFilter(features, 3);
  const { results } = await db
    .prepare(
      `SELECT tenant_id, feature, minute, MAX(n) AS n FROM (
         SELECT tenant_id, feature, completed_at / ${BUCKET_MS} AS minute, COUNT(*) AS n FROM usage_ledger
         WHERE tenant_id IN (SELECT value FROM json_each(?1)) AND completed_at >= ?2 AND kind = 'request'${only.sql}
         GROUP BY tenant_id, feature, minute
         UNION ALL
         SELECT tenant_id, feature, minute / ${BUCKET_MS} AS minute, events AS n FROM usage_counters_minutely
         WHERE tenant_id IN (SELECT value FROM json_each(?1)) AND minute >= ?2${only.sql}
       ) GROUP BY tenant_id, feature, minute`,
    )
    .bind(JSON.stringify(tenants), from, ...only.binds)
    .all<{ tenant_id: string; feature: string; minute: number; n: number }>();
  for (const r of results) out.set(keyOf(r.tenant_id, r.feature, r.minute), r.n);
  return out;
}

/** tenantId null = every tenant; features narrows a tenant's buckets as every other read does. */
export async function queueBacklog(
  ns: DurableObjectNamespace<MetricsAggregator>,
  name: string,
  db: D1Database,
  scope: { tenantId: string | null; features: FeatureScope },
  now: number,
): Promise<Backlog> {
  const stub = ns.get(ns.idFromName(name));
  const all = await stub.publishedBuckets(scope.tenantId, now);
  const allowed = scope.features === null ? null : new Set(scope.features);
  const buckets = allowed === null ? all : all.filter((b) => allowed.has(b.feature));
  const result = compareBuckets(buckets, await recordedCounts(db, buckets, scope.features), now);
  if (result.settled.length > 0) await stub.settle(result.settled.map(({ tenant, feature, minute }) => ({ tenant, feature, minute })));
  return { events: result.events, oldestAt: result.oldestAt };
}
