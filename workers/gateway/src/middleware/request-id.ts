/**
 * Gives every request an id, a timing recorder, and the response headers every answer carries:
 * the id and `Server-Timing` with per-stage durations (W3C Server Timing).
 *
 * The id is always minted here: it keys the usage ledger, traces and evaluations, so a caller
 * must not be able to choose it (a reused id would be counted once, and another tenant's row
 * could be pre-empted). A caller's own correlation id (`X-Client-Request-Id`, as OpenAI's API
 * takes it, or an `X-Request-Id` set by a proxy) is kept beside it: echoed back as
 * `x-client-request-id` and recorded in the request's trace.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { ServerTiming } from "../telemetry/server-timing";

const CLIENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const clientIdOf = (value: string | undefined): string | null => (value !== undefined && CLIENT_ID.test(value) ? value : null);

export const requestId = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const id = `req_${crypto.randomUUID().replaceAll("-", "")}`;
    const clientId = clientIdOf(c.req.header("x-client-request-id")) ?? clientIdOf(c.req.header("x-request-id"));
    c.set("requestId", id);
    c.set("clientRequestId", clientId);
    c.set("receivedAt", Date.now());
    c.set("timing", new ServerTiming());
    await next();
    const timing = c.get("timing");
    if (timing.sealed) return;
    c.res.headers.set("x-request-id", id);
    if (clientId) c.res.headers.set("x-client-request-id", clientId);
    const value = timing.header();
    if (value) c.res.headers.set("server-timing", value);
  });

/**
 * The id and Server-Timing headers for a handler that builds its Response in one go (the chat
 * hot path): one Response construction instead of setting headers on it one native call at a
 * time afterwards. The middleware then leaves that response alone.
 */
export function requestHeaders(requestId: string, clientRequestId: string | null, timing: ServerTiming): Record<string, string> {
  const headers: Record<string, string> = { "x-request-id": requestId };
  if (clientRequestId) headers["x-client-request-id"] = clientRequestId;
  const value = timing.seal();
  if (value) headers["server-timing"] = value;
  return headers;
}
