/**
 * Where the gateway reads the evaluator's published traffic (KEYS_KV, written by the
 * evaluator's hourly job, workers/evaluator/src/router-traffic/): one value per tenant and
 * feature, plus the tenant's whole traffic. Read only for tenants with a quality target, cached
 * per isolate for a minute (the values change hourly), so the hot path makes no D1 query and
 * at most two KV reads per tenant and feature a minute. A value KV cannot return or that does
 * not parse counts as absent (cold start: the static band) for that minute.
 */
import { ALL_SCOPE, featureScope, trafficKey } from "../../../../../shared/router-traffic/traffic-key";
import { TrafficSummarySchema, type TrafficSummary } from "../../../../../shared/router-traffic/traffic-summary";
import { TtlCache } from "../../../../../shared/ttl-cache";
import type { TrafficPair } from "./band-in-force";

export { ALL_SCOPE, featureScope, trafficKey };
export const TRAFFIC_TTL_MS = 60_000;

const cache = new TtlCache<TrafficPair>({ ttlMs: TRAFFIC_TTL_MS, maxEntries: 10_000 });
let warned = false;

async function read(kv: KVNamespace, key: string): Promise<TrafficSummary | null> {
  const raw = await kv.get(key, "json");
  if (raw === null) return null;
  const parsed = TrafficSummarySchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export function trafficFor(kv: KVNamespace, tenantId: string, feature: string | null, now = Date.now()): Promise<TrafficPair> {
  return cache.get(`${tenantId}\u0000${feature ?? ""}`, now, async () => {
    try {
      const [f, t] = await Promise.all([read(kv, trafficKey(tenantId, featureScope(feature))), read(kv, trafficKey(tenantId, ALL_SCOPE))]);
      return { feature: f, tenant: t };
    } catch (err) {
      if (!warned) console.warn(JSON.stringify({ event: "router_traffic_unreadable", error: String(err).slice(0, 200) }));
      warned = true;
      return { feature: null, tenant: null };
    }
  });
}

/** Tests only. */
export function clearTrafficCache(): void {
  cache.clear();
}
