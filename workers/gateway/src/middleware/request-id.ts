/**
 * Gives every request an id (honouring a well-formed incoming `x-request-id` so callers can
 * correlate), a timing recorder, and the response headers every answer carries: the id and
 * `Server-Timing` with per-stage durations (W3C Server Timing).
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { ServerTiming } from "../telemetry/server-timing";

const INCOMING_ID = /^[A-Za-z0-9._-]{8,128}$/;

export const requestId = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const id = incoming && INCOMING_ID.test(incoming) ? incoming : `req_${crypto.randomUUID().replaceAll("-", "")}`;
    c.set("requestId", id);
    c.set("receivedAt", Date.now());
    c.set("timing", new ServerTiming());
    await next();
    const timing = c.get("timing");
    if (timing.sealed) return;
    c.res.headers.set("x-request-id", id);
    const value = timing.header();
    if (value) c.res.headers.set("server-timing", value);
  });

/**
 * The id and Server-Timing headers for a handler that builds its Response in one go (the chat
 * hot path): one Response construction instead of setting headers on it one native call at a
 * time afterwards. The middleware then leaves that response alone.
 */
export function requestHeaders(requestId: string, timing: ServerTiming): Record<string, string> {
  const value = timing.seal();
  return value ? { "x-request-id": requestId, "server-timing": value } : { "x-request-id": requestId };
}
