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
    c.res.headers.set("x-request-id", id);
    const timing = c.get("timing").header();
    if (timing) c.res.headers.set("server-timing", timing);
  });
