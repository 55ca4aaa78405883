/**
 * POST /v1/chat/completions, as the architecture's numbered request path:
 * validate -> tenant settings -> redact + screen -> cache -> route -> run attempts (or the
 * cascade) -> respond, restoring placeholders -> publish the usage event. Each stage is timed
 * into Server-Timing and records its decision on the exchange for the trace.
 */
import type { Context } from "hono";
import type { ChatCompletionResponse } from "../../../../shared/schemas/openai-chat";
import { GatewayError } from "../../../../shared/errors";
import type { AppEnv } from "../app-env";
import { appendAudit } from "../../../../shared/audit/hash-chain";
import { auditThrottle } from "../../../../shared/audit/throttle";
import { registryFor } from "../config/registry-loader";
import { endUserSecret, pseudonymizeEndUsers, withoutEndUsers } from "../guardrails/end-user";
import { piiHashKeyFor } from "../guardrails/redact/hash-key";
import { readJsonBody } from "../http/read-json-body";
import { chargeBudget, settleAdmission } from "../middleware/settle-admission";
import { buildAttempts } from "../router/attempts/build-attempts";
import { backoffFromEnv } from "../router/attempts/backoff";
import { createBreakerClient } from "../router/attempts/circuit-breaker";
import { runChat, runChatStream, type RunContext } from "../router/attempts/run-attempts";
import { applyPrompt, ChatBodySchema, chatRequestOf } from "../prompts/chat-prompt";
import { settingsFor } from "../settings/settings-store";
import { tracedRun } from "../telemetry/otel/chat-trace";
import { observeChat } from "../telemetry/observe-chat";
import type { ExchangeResult } from "./build-event";
import { budgetDowngrade, downgradeUnservable } from "./budget-downgrade";
import { draftAndVerify } from "./cascade";
import { completeResponse } from "./complete-response";
import type { ChatExchange } from "./exchange";
import { chatPublisher, publishChatEvent } from "./publish-chat-event";
import { featureOf } from "./feature";
import { checkExplicitModel, mayUse, modelAccepts, resolveRequestedTarget } from "./resolve-target";
import { cacheStage } from "./stages/cache-stage";
import { applyInputGuardrails, outputNeedsWholeAnswer } from "./stages/guardrails-stage";
import { chooseRoute } from "./stages/route-stage";
import { streamResponse } from "./stream-response-builder";
import { rejectUnsupportedParameters } from "./unsupported-parameters";
import { planShadows, runShadow, shadowAfterServed, shadowBudget } from "./shadow-tier";
import { attachCitations } from "../rag/grounding/attach-citations";
import { groundRequest } from "../rag/grounding/ground-request";
import { takeRetrieval } from "../rag/grounding/retrieval-spec";
import { ragDeps } from "../rag/rag-deps";

export async function handleChat(c: Context<AppEnv>): Promise<Response> {
  const timing = c.get("timing");
  const registry = registryFor(c.env);
  const parsed = chatRequestOf(await timing.measure("parse", () => readJsonBody(c, ChatBodySchema)));
  // `retrieval` (docs/rag.md) is the gateway's own field: taken off before any stage sees the request.
  const retrieval = takeRetrieval(parsed.request);
  const body = { ...parsed, request: retrieval.request };
  const ex = exchangeOrAccountedRefusal(c, body.request);
  const publish = publisher(c, ex);

  try {
    // A prompt is rendered before every guardrail, so its text is redacted and screened too.
    const prompt = body.prompt;
    const original = prompt ? await timing.measure("prompt", () => applyPrompt(ex, prompt, c.env.DB)) : body.request;
    rejectUnsupportedParameters(original);
    const requested = resolveRequestedTarget(original, registry, ex.auth);
    if (requested.kind === "model") checkExplicitModel(original, requested.model);
    const settings = await timing.measure("settings", () => settingsFor(c.env.DB, ex.auth.tenantId, ex.feature));
    // Refused here (503) when the policy hashes and the deployment has no PII_HASH_KEY (hash-key.ts).
    const hashKey = piiHashKeyFor(c.env, ex.auth.tenantId, settings.guardrails);
    const filter = await timing.measure("guardrails", () => applyInputGuardrails(ex, settings.guardrails, hashKey));
    // Retrieval grounds the redacted request before the cache, so cache keys include the chunk ids.
    const spec = retrieval.spec;
    const grounding = spec ? await timing.measure("retrieval", () => groundRequest(ex, spec, ragDeps(c.env), settings.guardrails, hashKey)) : null;
    const cite = async (r: Response | Promise<Response>): Promise<Response> => (grounding ? attachCitations(await r, grounding) : r);

    const cache = cacheStage(ex, c.env, c.req.raw.headers, settings.cache, (id) => {
      const model = registry.model(id);
      return model !== undefined && mayUse(ex.auth, model);
    });
    const cached = await timing.measure("cache", () => cache.lookup());
    if (cached) return cite(cached.respond(c, ex, filter, publish));
    // The answer arrives in the output policy's form (complete-response.ts): no PII the model wrote is stored in clear.
    const store = (answer: ChatCompletionResponse, costUsd: number) => {
      const storing = cache.store(answer, costUsd);
      if (storing) c.executionCtx.waitUntil(storing.catch(() => undefined));
    };

    const downgrade = budgetDowngrade(c.get("budget"), requested, registry, ex.auth);
    const route = await timing.measure("route", () => chooseRoute(ex, requested, registry, settings.router, downgrade, c.env.DB, c.env.KEYS_KV));
    const limits = { models: ex.auth.models, tiers: ex.auth.tiers, accepts: modelAccepts(ex.request) };
    const run: RunContext = {
      bindings: c.env as unknown as RunContext["bindings"],
      breaker: createBreakerClient(c.env.CIRCUIT_BREAKER, background(c)),
      fetch: (input, init) => fetch(input, init),
      backoff: backoffFromEnv(c.env),
      records: ex.attempts,
      background: background(c),
      ...tracedRun(c),
    };

    if (route.cascadeDraftTier && c.req.header("x-cascade") !== "off") {
      const draft = await timing.measure("cascade_draft", () => draftAndVerify(ex, route.cascadeDraftTier as string, registry, limits, run, (draftEx, r) => {
        publishChatEvent(c.env.USAGE_QUEUE, draftEx, r, background(c));
        chargeBudget(c, r.costUsd);
      }));
      if (draft.accepted && draft.answered) return cite(completeResponse(ex, draft.answered, filter, registry, publish, store));
    }

    // Router labels: for a drawn sample the tier that did not serve answers too, in the background
    // (shadow-tier.ts). Not after an escalated cascade draft: that draft is already a judged small-tier answer.
    const shadow = ex.decisions.cascade ? null : planShadows(ex, requested, settings.router, c.env.SHADOW_SMALL_RATE, registry, limits);
    const served = shadowAfterServed(ex, shadow, publish, (plan) => {
      // Charged to the request's budgets like a call of its own, and refused at a cap; its answer held to the output policy.
      c.executionCtx.waitUntil(runShadow(ex, plan, registry, run, (shadowEx, r) => publishChatEvent(c.env.USAGE_QUEUE, shadowEx, r, background(c)), shadowBudget(c, ex, registry), filter.policy));
    });
    const attempts = buildAttempts(registry, route.target, limits);
    if (attempts.length === 0) {
      if (downgrade) throw downgradeUnservable(downgrade);
      throw new GatewayError("invalid_request", "No model this key may use can serve this request (check max_tokens and tools).", { param: "model" });
    }
    if (ex.stream && !outputNeedsWholeAnswer(settings.guardrails)) {
      const open = await timing.measure("upstream", () => runChatStream(ex.request, attempts, run));
      return cite(streamResponse(c, ex, open, filter, registry, served, run));
    }
    // A stream answered whole (the output policy must see all of it) gets a streamed answer's time.
    const answered = await timing.measure("upstream", () => runChat(ex.request, attempts, run, ex.stream ? "total" : "firstByte"));
    return cite(completeResponse(ex, answered, filter, registry, served, store));
  } catch (err) {
    const gw = err instanceof GatewayError ? err : null;
    if (gw?.kind === "guardrail_blocked" && blockAudits.allow(`${ex.auth.tenantId}|${ex.auth.keyId}|${gw.code}`, Date.now())) {
      const event = { action: "guardrail.blocked", actor: ex.auth.keyId, target: ex.requestId, detail: { code: gw.code, reason: gw.message } };
      c.executionCtx.waitUntil(appendAudit(c.env.DB, ex.auth.tenantId, event).catch(() => undefined));
    }
    publish({ status: gw?.status ?? 500, errorCode: gw?.code ?? "internal_error", usage: null, costUsd: 0, completedAt: Date.now(), ttftMs: null, answer: null });
    throw err;
  }
}

/**
 * The exchange, or the refusal of a request that names an end user on a deployment without
 * END_USER_HASH_KEY (end-user.ts), accounted like every other refusal: one usage event, here
 * without the end user, whom nothing could pseudonymize.
 */
function exchangeOrAccountedRefusal(c: Context<AppEnv>, parsed: ChatExchange["original"]): ChatExchange {
  try {
    return newExchange(c, parsed);
  } catch (err) {
    // Only the pseudonym refusal is accounted here; any other error (a feature the key may not
    // use) would be thrown again by the second newExchange, so it goes out as it came.
    if (!(err instanceof GatewayError) || err.code !== "end_user_hash_key_missing") throw err;
    publisher(c, newExchange(c, withoutEndUsers(parsed)))({ status: err.status, errorCode: err.code, usage: null, costUsd: 0, completedAt: Date.now(), ttftMs: null, answer: null });
    throw err;
  }
}

function newExchange(c: Context<AppEnv>, parsed: ChatExchange["original"]): ChatExchange {
  // From here on end users are known only by their per-tenant pseudonym: upstreams, cache scope,
  // usage event, ledger and traces (docs/guardrails.md, "Fields").
  const original = pseudonymizeEndUsers(parsed, c.get("auth").tenantId, endUserSecret(c.env));
  const budgetAlerts = c.get("budgetAlerts");
  const clientRequestId = c.get("clientRequestId");
  return {
    requestId: c.get("requestId"),
    clientRequestId,
    receivedAt: c.get("receivedAt"),
    auth: c.get("auth"),
    feature: featureOf(c, original),
    timing: c.get("timing"),
    original,
    request: original,
    redacted: false,
    stream: original.stream === true,
    includeUsage: original.stream_options?.include_usage === true,
    cache: "off",
    cacheSimilarity: null,
    decisions: { ...(budgetAlerts?.length ? { budgetAlerts } : {}), ...(clientRequestId ? { clientRequestId } : {}) },
    headers: {},
    attempts: [],
    answeredBy: null,
  };
}

// Guardrail blocks are audited once a minute per key and reason (audit/throttle.ts).
const blockAudits = auditThrottle();

const background = (c: Context<AppEnv>) => (p: Promise<unknown>) => c.executionCtx.waitUntil(p);

/** Publishes the usage event off the response path (publish-chat-event.ts) and settles the reservations. */
function publisher(c: Context<AppEnv>, ex: ChatExchange): (result: ExchangeResult) => void {
  return chatPublisher(ex, {
    queue: c.env.USAGE_QUEUE,
    waitUntil: background(c),
    observe: observeChat(c, ex),
    // The budget reservation is replaced by what the call really cost (0 releases it).
    settle: (result) => void settleAdmission(c, { tokens: result.usage ? result.usage.input.total + result.usage.output.total : null, costUsd: result.costUsd }),
  });
}
