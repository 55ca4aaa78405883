/**
 * GET /v1/requests and GET /v1/evaluations: searchable, paged lists for the trace explorer
 * (usage/list-requests.ts, usage/list-evaluations.ts). Tenant from the key; a key limited to
 * some features lists only those, and naming another feature is a 403 (as with X-Feature).
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { assertFeatureAllowed } from "../auth/allow-lists";
import { parseQuery } from "../http/query";
import { listEvaluations, ListEvaluationsQuerySchema } from "../usage/list-evaluations";
import { listRequests, ListRequestsQuerySchema } from "../usage/list-requests";

export const requestListRoutes = new Hono<AppEnv>()
  .get("/v1/requests", async (c) => {
    const query = parseQuery(c.req.url, ListRequestsQuerySchema);
    const auth = c.get("auth");
    if (query.feature !== undefined) assertFeatureAllowed(auth, query.feature);
    return c.json(await listRequests(c.env.DB, auth.tenantId, query, auth.features));
  })
  .get("/v1/evaluations", async (c) => {
    const query = parseQuery(c.req.url, ListEvaluationsQuerySchema);
    const auth = c.get("auth");
    if (query.feature !== undefined) assertFeatureAllowed(auth, query.feature);
    return c.json(await listEvaluations(c.env.DB, auth.tenantId, query, auth.features));
  });
