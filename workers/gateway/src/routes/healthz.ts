/** GET /healthz: liveness plus a registry check, no auth (load balancers call it). */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { registryFor } from "../config/registry-loader";

export const healthRoutes = new Hono<AppEnv>().get("/healthz", (c) => {
  const registry = registryFor(c.env);
  return c.json({ status: "ok", environment: c.env.ENVIRONMENT, models: registry.models.length, tiers: registry.tiers.map((t) => t.id) });
});
