/**
 * The only place that turns errors into HTTP responses. Known errors (GatewayError) become
 * OpenAI-shaped JSON with their status; anything else is logged with the request id and
 * answered as a bare 500 that leaks no internals (no message, no stack).
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { errorBody, GatewayError, internalErrorBody, isGatewayError, type OpenAIErrorBody } from "../../../../shared/errors";
import type { AppEnv } from "../app-env";

export function errorResponse(c: Context<AppEnv>, err: GatewayError): Response {
  const headers = new Headers(err.headers);
  headers.set("content-type", "application/json");
  if (err.retryAfterSeconds !== undefined) headers.set("retry-after", String(Math.max(1, Math.ceil(err.retryAfterSeconds))));
  return finish(c, new Response(JSON.stringify(errorBody(err, c.get("requestId"))), { status: err.status, headers }));
}

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (isGatewayError(err)) return errorResponse(c, err);
  if (err instanceof HTTPException && err.status < 500) {
    // Hono's own guards (e.g. body-limit) speak HTTPException; give them our wire shape.
    const kind = err.status === 413 ? "payload_too_large" : "invalid_request";
    return errorResponse(c, new GatewayError(kind, err.message || "Invalid request."));
  }
  const requestId = c.get("requestId") ?? "unknown";
  // Only the error's class and message: bodies and prompts never reach logs.
  console.error(JSON.stringify({ level: "error", requestId, error: err instanceof Error ? `${err.name}: ${err.message}` : "non-error thrown" }));
  const body: OpenAIErrorBody = internalErrorBody(requestId);
  return finish(c, new Response(JSON.stringify(body), { status: 500, headers: { "content-type": "application/json" } }));
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(c, new GatewayError("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`));

/** onError runs after middleware unwinds, so the per-request headers are set here too. */
function finish(c: Context<AppEnv>, res: Response): Response {
  const id = c.get("requestId");
  if (id) res.headers.set("x-request-id", id);
  const clientId = c.get("clientRequestId");
  if (clientId) res.headers.set("x-client-request-id", clientId);
  const timing = c.get("timing")?.header();
  if (timing) res.headers.set("server-timing", timing);
  return res;
}
