/**
 * POST /v1/embeddings: forwarded to the model's upstream, accounted like chat; `"model": "auto"`
 * is the default embeddings model. Input sizes are checked before anything reads the text
 * (embeddings/request-checks.ts); `input` then passes the tenant's PII policy, as chat's
 * messages do (guardrails/redact/redact-embeddings.ts): the upstream embeds the redacted text.
 * Every request that parsed publishes one usage event, refusals included (status and code).
 */
import { Hono, type Context } from "hono";
import { GatewayError } from "../../../../shared/errors";
import { costUsd } from "../../../../shared/pricing";
import { EmbeddingsRequestSchema, type EmbeddingsRequest, type EmbeddingsResponse } from "../../../../shared/schemas/openai-embeddings";
import { EMPTY_USAGE, type TokenUsage } from "../../../../shared/usage";
import type { AppEnv, Bindings } from "../app-env";
import { featureOf } from "../chat/feature";
import { mayUse } from "../chat/resolve-target";
import type { ModelEntry } from "../config/model-registry";
import { defaultEmbeddingModel } from "../config/embedding-model";
import { registryFor } from "../config/registry-loader";
import { endUserSecret, pseudonymizeEndUsers } from "../guardrails/end-user";
import { guardrailsHeader, type ControlReport } from "../guardrails/orchestrate";
import type { PiiEntityType } from "../guardrails/types";
import { checkEmbeddingsFields, checkEmbeddingsInputSize } from "../embeddings/request-checks";
import { piiHashKeyFor } from "../guardrails/redact/hash-key";
import { redactEmbeddingsInput } from "../guardrails/redact/redact-embeddings";
import { readJsonBody } from "../http/read-json-body";
import { settleAdmission } from "../middleware/settle-admission";
import { settingsFor } from "../settings/settings-store";
import { publishEvent } from "../telemetry/publish-event";
import { deadline } from "../upstreams/deadline";
import { upstreamFor } from "../upstreams/registry";
import { UpstreamError } from "../upstreams/upstream";

export const embeddingsRoutes = new Hono<AppEnv>().post("/v1/embeddings", async (c) => {
  const auth = c.get("auth");
  const parsed = await c.get("timing").measure("parse", () => readJsonBody(c, EmbeddingsRequestSchema));
  // Every refusal after the body parsed is accounted: one usage event with its status and code.
  const outcome = embeddingsOutcome(c, parsed.model);
  try {
    const feature = featureOf(c, {});
    outcome.feature = feature;
    // `user` is known only by its per-tenant pseudonym from here on (upstream, usage event, ledger).
    const body = pseudonymizeEndUsers(parsed, auth.tenantId, endUserSecret(c.env));
    outcome.endUser = body.user ?? null;
    const registry = registryFor(c.env);
    const model = body.model === "auto" ? defaultEmbeddingModel(registry, auth) : registry.model(body.model);
    if (!model || !model.capabilities.embeddings) {
      const message = body.model === "auto" ? "No embeddings model is available to this API key." : `"${body.model.slice(0, 80)}" is not an embeddings model here.`;
      throw new GatewayError("model_not_found", `${message} GET /v1/models lists the models with capabilities.embeddings.`, { param: "model" });
    }
    if (!mayUse(auth, model)) throw new GatewayError("forbidden", `This API key may not use "${model.id}".`, { param: "model" });
    outcome.model = model;
    // Sizes first: no guardrail reads an input the model could not take (request-checks.ts).
    checkEmbeddingsInputSize(body.input, model);
    const { guardrails } = await c.get("timing").measure("settings", () => settingsFor(c.env.DB, auth.tenantId, feature));
    checkEmbeddingsFields(body, guardrails.strictFields);
    // Refused here (503 pii_hash_key_missing) when the policy hashes and the deployment has no PII_HASH_KEY, as chat is.
    const hashKey = piiHashKeyFor(c.env, auth.tenantId, guardrails);
    const red = await c.get("timing").measure("guardrails", () => redactEmbeddingsInput(body.input, guardrails, hashKey));
    outcome.guardrails = { controls: red.controls, pii: red.findings };
    const result = await c.get("timing").measure("upstream", () => embed(c.env, model, { ...body, input: red.input }, (p) => c.executionCtx.waitUntil(p)));
    const usage: TokenUsage = { ...EMPTY_USAGE, input: { total: result.usage.prompt_tokens, cached: 0 }, source: "upstream" };
    const cost = costUsd(usage, model.pricing);
    void settleAdmission(c, { tokens: usage.input.total, costUsd: cost });
    outcome.publish({ status: 200, errorCode: null, usage, costUsd: cost });
    return c.json({ ...result, model: model.id }, 200, { "x-upstream": `${model.upstream.kind}:${model.id}`, "x-guardrails": guardrailsHeader(red) });
  } catch (err) {
    const gw = err instanceof GatewayError ? err : null;
    // As chat does for a refusal: the budget reservation is released, the token estimate stays counted.
    void settleAdmission(c, { tokens: null, costUsd: 0 });
    outcome.publish({ status: gw?.status ?? 500, errorCode: gw?.code ?? "internal_error", usage: EMPTY_USAGE, costUsd: 0 });
    throw err;
  }
});

interface EmbeddingsOutcome {
  /** Filled in as the request gets that far; a refusal publishes what was known. */
  feature: string | null;
  endUser: string | null;
  model: ModelEntry | null;
  guardrails: { controls: ControlReport[]; pii: Array<{ type: PiiEntityType; count: number }> } | null;
  publish(result: { status: number; errorCode: string | null; usage: TokenUsage; costUsd: number }): void;
}

/** The request's one usage event, published off the response path once its result is known. */
function embeddingsOutcome(c: Context<AppEnv>, requestedModel: string): EmbeddingsOutcome {
  const auth = c.get("auth");
  const outcome: EmbeddingsOutcome = {
    feature: null,
    endUser: null,
    model: null,
    guardrails: null,
    publish(result) {
      const now = Date.now();
      const model = outcome.model;
      const clientRequestId = c.get("clientRequestId");
      publishEvent(
        c.env.USAGE_QUEUE,
        {
          version: 1, kind: "embeddings", requestId: c.get("requestId"), receivedAt: c.get("receivedAt"), completedAt: now,
          tenantId: auth.tenantId, keyId: auth.keyId, feature: outcome.feature, endUser: outcome.endUser, requestedModel,
          model: model?.id ?? null, tier: model?.tier ?? null, upstream: model?.upstream.kind ?? null, stream: false,
          status: result.status, errorCode: result.errorCode, cache: "off", usage: result.usage, costUsd: result.costUsd,
          latencyMs: now - c.get("receivedAt"), ttftMs: null, attempts: [], stages: c.get("timing").list(),
          decisions: { ...(clientRequestId ? { clientRequestId } : {}), ...(outcome.guardrails ? { guardrails: outcome.guardrails } : {}) },
        },
        (p) => c.executionCtx.waitUntil(p),
      );
    },
  };
  return outcome;
}

/** One call, no fallback: embeddings from different models are not interchangeable. */
async function embed(env: Bindings, model: ModelEntry, body: EmbeddingsRequest, background: (work: Promise<unknown>) => void): Promise<EmbeddingsResponse> {
  const adapter = upstreamFor(model.upstream);
  if (!adapter.embed) throw new GatewayError("model_not_found", `"${model.id}" does not serve embeddings.`, { param: "model" });
  const credential = model.credential ? (env as unknown as Record<string, unknown>)[model.credential] : undefined;
  const timeout = deadline(model.timeouts.firstByteMs, () => new UpstreamError("embeddings call timed out", { timeout: true }), background);
  try {
    return await adapter.embed({ ...body, model: model.upstreamModel }, {
      config: model.upstream,
      upstreamModel: model.upstreamModel,
      credential: typeof credential === "string" ? credential : undefined,
      signal: timeout.signal,
      bindings: env as unknown as Record<string, never>,
      fetch: (input, init) => fetch(input, init),
    });
  } catch (err) {
    if (err instanceof UpstreamError) throw new GatewayError(err.timeout ? "upstream_timeout" : "upstream_error", "The embeddings upstream failed.", { cause: err });
    throw err;
  } finally {
    timeout.clear();
  }
}
