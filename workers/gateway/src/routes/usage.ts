/**
 * The calling tenant's usage (from the evaluator's hourly rollups) and request traces. The
 * tenant always comes from the key, never from the request, so one tenant cannot name
 * another's data; trace content is masked by the key's role (auth/content-access.ts). A key
 * limited to some features reads only those features' usage and traces (usage/feature-scope.ts).
 */
import { Hono } from "hono";
import { GatewayError } from "../../../../shared/errors";
import { keyringFromEnv } from "../../../../shared/crypto/envelope";
import type { AppEnv } from "../app-env";
import { contentAccessFor } from "../auth/content-access";
import { parseQuery } from "../http/query";
import { parseWith } from "../http/read-json-body";
import { getRequestTrace, queryUsage, RequestTraceParamsSchema, usageCsv, UsageQuerySchema } from "../usage";

/** `group_by` is the documented spelling; `groupBy` is accepted too. */
const ALIASES = { group_by: "groupBy" };

export const usageRoutes = new Hono<AppEnv>()
  .get("/v1/usage", async (c) => {
    const query = parseQuery(c.req.url, UsageQuerySchema, ALIASES);
    const { tenantId, features } = c.get("auth");
    return c.json(await queryUsage(c.env.DB, tenantId, query, features));
  })
  .get("/v1/usage.csv", async (c) => {
    const query = parseQuery(c.req.url, UsageQuerySchema, ALIASES);
    const { tenantId, features } = c.get("auth");
    const csv = await usageCsv(c.env.DB, tenantId, query, features);
    return c.body(csv, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="usage.csv"' });
  })
  .get("/v1/requests/:id", async (c) => {
    const { id } = parseWith(RequestTraceParamsSchema, { id: c.req.param("id") });
    const auth = c.get("auth");
    const contentAccess = contentAccessFor(auth);
    const keyring = contentAccess === "decrypted" ? await keyringFromEnv(c.env) : undefined;
    const trace = await getRequestTrace(c.env.DB, auth.tenantId, id, { contentAccess, features: auth.features, ...(keyring ? { keyring } : {}) });
    if (!trace) throw new GatewayError("not_found", `No request ${id.slice(0, 128)} for this tenant (traces appear a few seconds after the response).`, { param: "id" });
    return c.json(trace);
  });
