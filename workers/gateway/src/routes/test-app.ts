/** For route tests: an app serving `routes` as `auth`'s key, GatewayErrors mapped to their status, anything else a 500. */
import { Hono } from "hono";
import { isGatewayError } from "../../../../shared/errors";
import type { AppEnv, AuthContext } from "../app-env";
import { onError } from "../middleware/error-handler";
import { ServerTiming } from "../telemetry/server-timing";

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

let requestSeq = 0;

/**
 * For request-path tests (a handler that times stages, publishes events, answers errors as the
 * gateway does): `mount` served as `auth`'s key behind the real error handler, with the context
 * the gateway's middleware sets. The returned `post` sends one JSON body (with any extra headers) and waits out the
 * request's background work (ctx.waitUntil: usage events) before it returns.
 */
export function requestPathApp(auth: AuthContext, mount: (app: Hono) => void) {
  const app = new Hono();
  app.onError(onError as never);
  app.use(async (c, next) => {
    c.set("timing" as never, new ServerTiming() as never);
    c.set("receivedAt" as never, Date.now() as never);
    c.set("requestId" as never, `req_test_${++requestSeq}` as never);
    c.set("auth" as never, auth as never);
    await next();
  });
  mount(app);
  return async (path: string, body: unknown, env: object, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> => {
    const waits: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void waits.push(p), passThroughOnException() {}, props: {} };
    const res = await app.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }, env as never, ctx as never);
    const text = await res.text();
    await Promise.allSettled(waits);
    return { status: res.status, headers: res.headers, text };
  };
}
