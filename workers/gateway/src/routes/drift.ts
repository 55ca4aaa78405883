/** GET /v1/drift: the tenant's drift snapshots and alarms (usage/drift-alarms.ts). */
import { Hono } from "hono";
import { GatewayError } from "../../../../shared/errors";
import type { AppEnv } from "../app-env";
import { parseQuery } from "../http/query";
import { driftReport, DriftQuerySchema } from "../usage/drift-alarms";

export const driftRoutes = new Hono<AppEnv>().get("/v1/drift", async (c) => {
  const query = parseQuery(c.req.url, DriftQuerySchema);
  const auth = c.get("auth");
  if (auth.features !== null) throw new GatewayError("forbidden", "Drift is measured per tenant, across features; a key limited to some features cannot read it.");
  return c.json(await driftReport(c.env.DB, auth.tenantId, query));
});
