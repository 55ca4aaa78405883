/**
 * GET /v1/cache/quality[?feature=&since=&targetPrecision=&minSamples=]: the calling tenant's
 * semantic-cache hit precision (audited hits judged correct by the evaluator) with a threshold
 * suggestion, overall and per feature, next to the threshold in force. The tenant comes from
 * the key, never from the request.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { resolvePolicy } from "../cache/settings";
import { parseQuery } from "../http/query";
import { settingsFor } from "../settings/settings-store";
import { cacheQuality, CacheQualityQuerySchema } from "../usage";

/**
 * The semantic threshold a request of this feature is served with (tenant settings over the
 * defaults, as the cache stage resolves it). Unknown, not an error, when a stored settings row
 * no longer validates: the quality report is still worth having.
 */
async function servingThreshold(db: D1Database, tenantId: string, feature: string | null): Promise<number | undefined> {
  try {
    const settings = await settingsFor(db, tenantId, feature);
    return resolvePolicy({ defaults: settings.cache, tenants: {} }, tenantId, feature).threshold;
  } catch {
    return undefined;
  }
}

export const cacheQualityRoutes = new Hono<AppEnv>().get("/v1/cache/quality", async (c) => {
  const query = parseQuery(c.req.url, CacheQualityQuerySchema);
  const { tenantId } = c.get("auth");
  const report = await cacheQuality(c.env.DB, tenantId, query, { currentThreshold: (feature) => servingThreshold(c.env.DB, tenantId, feature) });
  return c.json(report);
});
