/**
 * `liveMetrics()`: counts every response by route pattern, method and status (401s and 404s
 * too) with its duration, and flushes the isolate's counters when due. The route label is the
 * policy table's pattern (`/v1/requests/:id`), never the raw path, so callers cannot grow the
 * number of series; the console's static files count as `/console/*`, any other unknown path
 * as `unmatched`.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../app-env";
import { findPolicy } from "../../auth/route-policies";
import { flushIfDue, liveEnabled, recordHttp, type MetricsBindings } from "./live";

const isConsoleFile = (path: string): boolean => path === "/console" || path.startsWith("/console/");

function routeLabel(method: string, path: string): string {
  return findPolicy(method, path)?.path ?? (isConsoleFile(path) ? "/console/*" : "unmatched");
}

export function liveMetrics(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const env = c.env as unknown as MetricsBindings;
    if (!liveEnabled(env)) return next();
    try {
      await next();
    } finally {
      const now = Date.now();
      recordHttp(routeLabel(c.req.method, c.req.path), c.req.method, c.res.status, (now - c.get("receivedAt")) / 1000);
      const sending = flushIfDue(env.METRICS_AGGREGATOR, now);
      if (sending) {
        try {
          c.executionCtx.waitUntil(sending);
        } catch {
          // No ExecutionContext (app.request in unit tests).
        }
      }
    }
  };
}
