/** For route tests: an app serving `routes` as `auth`'s key, GatewayErrors mapped to their status, anything else a 500. */
import { Hono } from "hono";
import { isGatewayError } from "../../../../shared/errors";
import type { AppEnv, AuthContext } from "../app-env";

export const viewer = (tenantId: string, features: string[] | null = null): AuthContext => ({ tenantId, keyId: "k1", role: "viewer", scopes: [], models: null, tiers: null, features });

export function appAs(auth: AuthContext, routes: Hono<AppEnv>): Hono<AppEnv> {
  const a = new Hono<AppEnv>();
  a.onError((err, c) => c.json({ error: { code: isGatewayError(err) ? err.code : "internal" } }, isGatewayError(err) ? (err.status as 400) : 500));
  a.use("*", async (c, next) => {
    c.set("auth", auth);
    await next();
  });
  return a.route("/", routes);
}
