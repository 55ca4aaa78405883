/**
 * `cors()`: strict allow-list CORS. `CORS_ALLOWED_ORIGINS` is a comma-separated list of exact
 * origins (scheme://host[:port]); unset or empty = no CORS headers at all, so browsers refuse
 * cross-origin calls (server-to-server SDK use is unaffected). No wildcard, no credentials:
 * keys travel in `Authorization`, never in cookies. Mount it before auth() so preflights
 * (which carry no key) are answered here. Headers are added after the handler so error
 * responses (401/429) are readable by an allowed page too.
 */
import type { MiddlewareHandler } from "hono";
import type { AccessEnv } from "../auth/access-env";

const ALLOW_HEADERS = "authorization, content-type, x-feature, x-client-request-id, x-request-id";
const EXPOSE_HEADERS = "x-request-id, x-client-request-id, retry-after, server-timing";
const ALLOW_METHODS = "GET, POST, PUT, DELETE, OPTIONS";

export function parseOrigins(value: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const raw of (value ?? "").split(",")) {
    const o = raw.trim();
    if (/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(o)) out.add(o.toLowerCase());
  }
  return out;
}

function withHeaders(res: Response, headers: Record<string, string>): Response {
  let out = res;
  try {
    for (const [k, v] of Object.entries(headers)) out.headers.set(k, v);
  } catch {
    // Immutable headers (a passed-through fetch Response): copy once, then set.
    out = new Response(res.body, res);
    for (const [k, v] of Object.entries(headers)) out.headers.set(k, v);
  }
  return out;
}

export function cors(): MiddlewareHandler<AccessEnv> {
  let cachedFor: string | undefined;
  let allowed = new Set<string>();
  return async (c, next) => {
    if (c.env.CORS_ALLOWED_ORIGINS !== cachedFor) {
      cachedFor = c.env.CORS_ALLOWED_ORIGINS;
      allowed = parseOrigins(cachedFor);
    }
    const origin = c.req.header("origin")?.toLowerCase();
    const ok = origin !== undefined && allowed.has(origin);
    if (c.req.method === "OPTIONS") {
      const headers: Record<string, string> = { vary: "Origin" };
      if (ok) Object.assign(headers, { "access-control-allow-origin": origin, "access-control-allow-methods": ALLOW_METHODS, "access-control-allow-headers": ALLOW_HEADERS, "access-control-max-age": "600" });
      return new Response(null, { status: 204, headers });
    }
    await next();
    // No origin is allowed: responses do not vary by Origin, so there is nothing to add.
    if (allowed.size === 0) return;
    const out = withHeaders(c.res, ok ? { vary: "Origin", "access-control-allow-origin": origin, "access-control-expose-headers": EXPOSE_HEADERS } : { vary: "Origin" });
    // Reassigning c.res makes Hono copy the response and merge headers: only when a copy was needed.
    if (out !== c.res) c.res = out;
  };
}
