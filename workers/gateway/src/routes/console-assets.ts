/**
 * /console and /console/*: the console's static files (Workers static assets, `[assets]` in
 * wrangler.toml), served through the Worker (`run_worker_first`) so that they carry
 * `x-request-id` and `Server-Timing` like every other response. Other paths never reach the
 * asset binding. Costs: the Worker runs (and bills CPU) for the console's three files per first
 * load; the Worker bundle does not grow.
 *
 * The security headers are set here, the one place every console file passes through (they
 * were a `_headers` file while the asset layer answered on its own). A strict CSP: only the
 * console's own script and stylesheet, API calls to this origin only, no inline script or
 * style, no framing. The asset binding's answer is copied into a new Response because a
 * fetched Response's headers are immutable and the request-id middleware sets its own after.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../app-env";

export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=()",
};

const serve = async (c: Context<AppEnv>): Promise<Response> => {
  const assets = c.env.ASSETS;
  if (!assets) return c.notFound(); // a stack without static assets (benchmarks of the Worker alone)
  const res = await c.get("timing").measure("assets", () => assets.fetch(c.req.raw));
  if (res.status === 404) return c.notFound(); // the API's JSON 404, not the asset layer's empty one
  const out = new Response(res.body, res);
  for (const [name, value] of Object.entries(CONSOLE_HEADERS)) out.headers.set(name, value);
  return out;
};

export const consoleAssetRoutes = new Hono<AppEnv>().all("/console", serve).all("/console/*", serve);
