/**
 * POST /v1/chat/completions, as the architecture's numbered request path:
 * validate -> redact + screen -> cache -> route -> run attempts -> respond (restore
 * placeholders) -> publish the usage event. Each stage is timed into Server-Timing and
 * records its decision on the exchange for the trace.
 */
import type { Context } from "hono";
import { ChatCompletionRequestSchema } from "../../../../shared/schemas/openai-chat";
import { GatewayError } from "../../../../shared/errors";
import type { AppEnv } from "../app-env";
import { registryFor } from "../config/registry-loader";
import { readJsonBody } from "../http/read-json-body";
import { buildAttempts } from "../router/attempts/build-attempts";
import { runChat, runChatStream, type RunContext } from "../router/attempts/run-attempts";
import { createBreakerClient } from "../router/attempts/circuit-breaker";
import { publishEvent, queueSink } from "../telemetry/publish-event";
import { buildChatEvent, type ExchangeResult } from "./build-event";
import type { ChatExchange } from "./exchange";
import { completeResponse } from "./complete-response";
import { checkExplicitModel, modelAccepts, resolveRequestedTarget } from "./resolve-target";
import { featureOf } from "./feature";
import { applyInputGuardrails } from "./stages/guardrails-stage";
import { lookupCache, storeInCache } from "./stages/cache-stage";
import { chooseRoute } from "./stages/route-stage";
import { streamResponse } from "./stream-response-builder";
import { settingsFor } from "../settings/settings-store";
import { settleTokens } from "../middleware/rate-limit";
import { appendAudit } from "../audit/hash-chain";

export async function handleChat(c: Context<AppEnv>): Promise<Response> {
  const timing = c.get("timing");
  const registry = registryFor(c.env);
  const original = await timing.measure("parse", () => readJsonBody(c, ChatCompletionRequestSchema));
  const auth = c.get("auth");
  const ex: ChatExchange = {
    requestId: c.get("requestId"),
    receivedAt: c.get("receivedAt"),
    auth,
    feature: featureOf(c, original),
    timing,
    original,
    request: original,
    stream: original.stream === true,
    includeUsage: original.stream_options?.include_usage === true,
    cache: "off",
    cacheSimilarity: null,
    decisions: {},
    headers: {},
    attempts: [],
    answeredBy: null,
  };
  const budgetAlerts = c.get("budgetAlerts");
  if (budgetAlerts?.length) ex.decisions.budgetAlerts = budgetAlerts;
  const publish = (result: ExchangeResult) => {
    c.executionCtx.waitUntil(publishEvent(queueSink(c.env.USAGE_QUEUE), buildChatEvent(ex, result)));
    // Replace the rate limiter's token reservation with what the call really used.
    if (result.usage) void settleTokens(c, result.usage.input.total + result.usage.output.total);
  };

  try {
    const target = resolveRequestedTarget(original, registry, auth);
    if (target.kind === "model") checkExplicitModel(original, target.model);

    const settings = await timing.measure("settings", () => settingsFor(c.env.DB, auth.tenantId, ex.feature));
    const filter = await timing.measure("guardrails", () => applyInputGuardrails(ex, settings.guardrails));

    const cached = await timing.measure("cache", () => lookupCache(ex, c.env, c.req.raw.headers));
    if (cached) return cached.respond(ex, filter, publish);

    const route = await timing.measure("route", () => chooseRoute(ex, target, registry, c.env));
    const attempts = buildAttempts(registry, route.target, { models: auth.models, tiers: auth.tiers, accepts: modelAccepts(ex.request) });
    if (attempts.length === 0) {
      throw new GatewayError("invalid_request", "No model this key may use can serve this request (check max_tokens and tools).", { param: "model" });
    }

    const run: RunContext = {
      bindings: c.env as unknown as RunContext["bindings"],
      breaker: createBreakerClient(c.env.CIRCUIT_BREAKER, (p) => c.executionCtx.waitUntil(p)),
      fetch: (input, init) => fetch(input, init),
      signal: c.req.raw.signal,
      records: ex.attempts,
    };
    if (ex.stream) {
      const open = await timing.measure("upstream", () => runChatStream(ex.request, attempts, run));
      return streamResponse(c, ex, open, filter, registry, publish);
    }
    const answered = await timing.measure("upstream", () => runChat(ex.request, attempts, run));
    const response = completeResponse(c, ex, answered, filter, registry, publish);
    c.executionCtx.waitUntil(storeInCache(ex, c.env, c.req.raw.headers, answered.value.response));
    return response;
  } catch (err) {
    const gw = err instanceof GatewayError ? err : null;
    if (gw?.kind === "guardrail_blocked") {
      c.executionCtx.waitUntil(
        appendAudit(c.env.DB, auth.tenantId, { action: "guardrail.blocked", actor: auth.keyId, target: ex.requestId, detail: { code: gw.code, reason: gw.message } }).catch(() => undefined),
      );
    }
    publish({ status: gw?.status ?? 500, errorCode: gw?.code ?? "internal_error", usage: null, costUsd: 0, completedAt: Date.now(), ttftMs: null, answer: null });
    throw err;
  }
}
