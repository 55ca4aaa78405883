/**
 * GET /v1/router/rollout: where the calling tenant's candidate router stands (shadow, canary,
 * rolled back and why). The tenant comes from the key, never from the request.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { routerRolloutStatus } from "../usage/router-rollout-status";

export const routerRolloutRoutes = new Hono<AppEnv>().get("/v1/router/rollout", async (c) => c.json(await routerRolloutStatus(c.env.DB, c.get("auth").tenantId)));
