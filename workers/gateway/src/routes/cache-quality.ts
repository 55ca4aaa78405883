/**
 * GET /v1/cache/quality[?feature=&since=&targetPrecision=&minSamples=]: the calling tenant's
 * semantic-cache hit precision (audited hits judged correct by the evaluator) with a threshold
 * suggestion, overall and per feature, next to the threshold in force. The tenant comes from
 * the key, never from the request.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { assertFeatureAllowed } from "../auth/allow-lists";
import { resolvePolicy } from "../cache/settings";
import { parseQuery } from "../http/query";
import { settingsFor } from "../settings/settings-store";
import { cacheQuality, CacheQualityQuerySchema } from "../usage";

/**
 * The semantic threshold a request of this feature is served with (tenant settings over the
 * defaults, as the cache stage resolves it). Unknown, not an error, when a stored settings row
 * no longer validates: the quality report is still worth having.
 */
export async function servingThreshold(db: D1Database, tenantId: string, feature: string | null): Promise<number | undefined> {
  try {
    const settings = await settingsFor(db, tenantId, feature);
    return resolvePolicy({ defaults: settings.cache, tenants: {} }, tenantId, feature).threshold;
  } catch {
    return undefined;
  }
}

export const cacheQualityRoutes = new Hono<AppEnv>().get("/v1/cache/quality", async (c) => {
  const query = parseQuery(c.req.url, CacheQualityQuerySchema);
  const auth = c.get("auth");
  const { tenantId } = auth;
  // A key limited to some features sees only theirs: naming another is a 403, like X-Feature.
  if (query.feature !== undefined) assertFeatureAllowed(auth, query.feature);
  const report = await cacheQuality(c.env.DB, tenantId, query, { features: auth.features, currentThreshold: (feature) => servingThreshold(c.env.DB, tenantId, feature) });
  return c.json(report);
});
