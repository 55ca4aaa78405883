/** GET /v1/usage/latency: percentiles over a whole range from the hourly histograms (usage/latency-summary.ts). */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { parseQuery } from "../http/query";
import { latencySummary, LatencyQuerySchema } from "../usage/latency-summary";

export const usageLatencyRoutes = new Hono<AppEnv>().get("/v1/usage/latency", async (c) => {
  const query = parseQuery(c.req.url, LatencyQuerySchema);
  const { tenantId, features } = c.get("auth");
  return c.json(await latencySummary(c.env.DB, tenantId, query, features));
});
