/**
 * GET /metrics: Prometheus text for scrapers. Who may read it: a scraper presenting the
 * METRICS_TOKEN secret as its bearer token, or an admin key (route policy row): an operator
 * (scope tenants:manage) sees every tenant; any other admin sees only its own tenant's series,
 * and none of the deployment-wide ones; a key restricted to some features, only those features'
 * series. Mounted before the API's auth middleware, so the token (not an API key) gets through;
 * an API key is checked here by the same auth() and authorize().
 */
import { Hono, type Context, type MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { timingSafeEqual } from "../auth/keys";
import { OPERATOR_SCOPE } from "../auth/route-policies";
import { registryFor } from "../config/registry-loader";
import { auth, bearerToken } from "../middleware/auth";
import { authorize } from "../middleware/authorize";
import { pick, render, type Family } from "../telemetry/metrics/exposition";
import { BREAKER_FAMILY, family, LAG_FAMILIES, LIVE_FAMILIES, ROLLUP_FAMILIES } from "../telemetry/metrics/families";
import { aggregator, AGGREGATOR_NAME, flushNow, liveEnabled, type MetricsBindings } from "../telemetry/metrics/live";
import { queueBacklog } from "../telemetry/metrics/queue-backlog";
import { parseKey } from "../telemetry/metrics/series";
import { breakerSeries, businessSeries, queueLagSeries, rollupTotals } from "../telemetry/metrics/sources";
import type { FeatureScope } from "../usage/feature-scope";

const sha256 = async (s: string): Promise<string> => {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
};

const noop = async () => undefined;

/**
 * tenantId null = every tenant; a tenant id = only that tenant's series. features (a key's
 * allow-list, usage/feature-scope.ts) narrows that tenant's series to those features, operator or
 * not, as every other read does. Throws 401/403 like the API.
 */
async function scopeOf(c: Context<AppEnv>): Promise<{ tenantId: string | null; features: FeatureScope }> {
  const token = (c.env as unknown as MetricsBindings).METRICS_TOKEN;
  const presented = bearerToken(c.req.header("authorization"));
  // Hashing first makes the comparison constant-time whatever the lengths.
  if (token && presented && timingSafeEqual(await sha256(presented), await sha256(token))) return { tenantId: null, features: null };
  await (auth() as unknown as MiddlewareHandler<AppEnv>)(c, noop);
  await (authorize() as unknown as MiddlewareHandler<AppEnv>)(c, noop);
  const who = c.get("auth");
  if (who.features !== null) return { tenantId: who.tenantId, features: who.features };
  return { tenantId: who.scopes.includes(OPERATOR_SCOPE) ? null : who.tenantId, features: null };
}

const ofTenant = (series: Record<string, number>, tenantId: string): Record<string, number> =>
  Object.fromEntries(Object.entries(series).filter(([k]) => parseKey(k).labels.split(",").includes(`tenant="${tenantId.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)));

async function liveFamilies(env: MetricsBindings, tenantId: string | null): Promise<Family[]> {
  if (!liveEnabled(env)) return [];
  const totals = await aggregator(env.METRICS_AGGREGATOR).totals();
  return LIVE_FAMILIES.filter((f) => tenantId === null || f.tenantLabel).map((f) => {
    const series = pick(totals, f.name, f.type === "histogram");
    return family(f, tenantId === null ? series : ofTenant(series, tenantId));
  });
}

export const metricsRoutes = new Hono<AppEnv>().get("/metrics", async (c) => {
  const { tenantId, features } = await scopeOf(c);
  const env = c.env as AppEnv["Bindings"] & MetricsBindings;
  // This isolate's counts (and its published events, for the queue backlog) reach the aggregator first.
  if (liveEnabled(env)) await flushNow(env.METRICS_AGGREGATOR);
  const now = Date.now();
  const [rows, live, lag, breakers] = await Promise.all([
    rollupTotals(env.DB, tenantId, features),
    // The live families have no feature label: a tenant's series there add up all its features.
    features === null ? liveFamilies(env, tenantId) : Promise.resolve([]),
    (liveEnabled(env) ? queueBacklog(env.METRICS_AGGREGATOR, AGGREGATOR_NAME, env.DB, { tenantId, features }, now) : Promise.resolve(null)).then((backlog) =>
      queueLagSeries(env.DB, tenantId, now, features, backlog),
    ),
    tenantId === null ? breakerSeries(env.CIRCUIT_BREAKER, registryFor(env)) : Promise.resolve(null),
  ]);
  const business = businessSeries(rows);
  const families: Family[] = [
    ...(Object.keys(ROLLUP_FAMILIES) as Array<keyof typeof ROLLUP_FAMILIES>).map((k) => family(ROLLUP_FAMILIES[k], business[k])),
    ...live,
    ...(breakers ? [family(BREAKER_FAMILY, breakers)] : []),
    ...LAG_FAMILIES.map((f) => family(f, pick(lag, f.name))),
  ];
  return c.body(render(families), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" });
});
