/**
 * `otelTrace()`: one server span per request (401s and 404s too), joined to the caller's W3C
 * trace when it sent a valid `traceparent`. Without an OTLP endpoint configured it is a
 * single property check and nothing else (the hot path's budget); for an unsampled trace, the
 * context (its traceparent still goes upstream) and nothing after the response.
 */
import type { Context, MiddlewareHandler } from "hono";
import { isGatewayError } from "../../../../../shared/errors";
import { otelConfig, type OtelVars } from "../../../../../shared/otel/config";
import { exporterFor } from "../../../../../shared/otel/exporter";
import { startContext } from "../../../../../shared/otel/trace-context";
import type { AppEnv } from "../../app-env";
import { findPolicy } from "../../auth/route-policies";
import { writeSpans } from "./build-spans";
import { RequestTrace, SERVER, type HttpFacts } from "./request-trace";

export const GATEWAY_SERVICE_NAME = "llm-gateway";

export function otelTrace(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const config = otelConfig(c.env as unknown as OtelVars, GATEWAY_SERVICE_NAME);
    if (!config) return next();
    const context = startContext(c.req.header("traceparent"), c.req.header("tracestate"), config.ratio);
    const trace = new RequestTrace(context, c.get("timing"), c.get("receivedAt"), exporterFor(config, { "deployment.environment.name": c.env.ENVIRONMENT }), writeSpans);
    c.set("otel", trace);
    try {
      await next();
    } finally {
      // An unsampled trace is never written: it needs no HTTP facts and no release (it holds nothing).
      if (trace.context.sampled) {
        trace.http = httpFacts(c);
        trace.release((p) => {
          try {
            c.executionCtx.waitUntil(p);
          } catch {
            // No ExecutionContext (app.request in unit tests).
          }
        });
      }
    }
  };
}

/** The server span's HTTP part. The path Hono already took from the URL, the host by a regex: no URL object per request. */
function httpFacts(c: Context<AppEnv>): HttpFacts {
  const path = c.req.path;
  const err = c.error;
  return {
    method: c.req.method,
    path,
    host: SERVER.exec(c.req.url)?.[2]?.toLowerCase() ?? "",
    route: findPolicy(c.req.method, path)?.path ?? null,
    status: c.res.status,
    errorCode: err ? (isGatewayError(err) ? err.code : "internal_error") : null,
  };
}
