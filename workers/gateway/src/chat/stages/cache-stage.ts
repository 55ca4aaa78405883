/**
 * Response cache on the request path: exact then semantic lookup on the redacted request
 * (before routing, keyed by the requested model or tier), a replay of the hit (JSON or SSE)
 * with this request's placeholders restored, and storing fresh answers afterwards. A hit is
 * accounted at zero upstream cost with the cost it avoided; sampled semantic hits carry what
 * the evaluator's judge needs to check the answer still fits.
 */
import type { Context } from "hono";
import type { ChatCompletionResponse } from "../../../../../shared/schemas/openai-chat";
import { fromOpenAIUsage, EMPTY_USAGE } from "../../../../../shared/usage";
import type { AppEnv, Bindings } from "../../app-env";
import type { z } from "zod";
import { createEmbedder } from "../../cache/embedder/create-embedder";
import {
  auditPayload,
  cacheDecision,
  cacheResponseHeaders,
  d1Calibration,
  shadowPayload,
  createLocalVectorStore,
  createResponseCache,
  createVectorizeStore,
  parseCacheDirectives,
  replayAsSse,
  type CacheLookupInput,
  type CacheLookupResult,
  type PartialPolicySchema,
  type ResponseCache,
} from "../../cache";

/** A tenant's (feature-merged) cache policy as the settings store resolves it. */
export type PartialCachePolicy = z.infer<typeof PartialPolicySchema>;
import { answerHeaders } from "../answer-headers";
import type { ExchangeResult } from "../build-event";
import type { ChatExchange } from "../exchange";
import { answerText, mapChoiceTexts, type OutputFilter } from "../output-filter";

export interface CacheStage {
  /** A hit to answer with, or null (miss, bypass, ineligible). */
  lookup(): Promise<CachedAnswer | null>;
  /**
   * Stores a fresh, successful answer (redacted) under this request's keys; null when the
   * lookup already said it may not be stored (nothing to keep the request alive for).
   */
  store(response: ChatCompletionResponse, costUsd: number): Promise<void> | null;
}

export interface CachedAnswer {
  respond(c: Context<AppEnv>, ex: ChatExchange, filter: OutputFilter, publish: (r: ExchangeResult) => void): Response;
}

// One ResponseCache per (bindings, tenant policy) object pair: both live for the isolate (the
// policy comes from the settings cache), so per-request construction and policy merging vanish.
const built = new WeakMap<Bindings, WeakMap<PartialCachePolicy, ResponseCache>>();

function responseCache(env: Bindings, policy: PartialCachePolicy): ResponseCache {
  let perEnv = built.get(env);
  if (!perEnv) built.set(env, (perEnv = new WeakMap()));
  const existing = perEnv.get(policy);
  if (existing) return existing;
  const cache = buildResponseCache(env, policy);
  perEnv.set(policy, cache);
  return cache;
}

function buildResponseCache(env: Bindings, policy: PartialCachePolicy): ResponseCache {
  const vectors = env.VECTOR_STORE === "vectorize" && env.VECTORIZE ? createVectorizeStore(env.VECTORIZE) : createLocalVectorStore(env.VECTOR_INDEX as unknown as DurableObjectNamespace);
  return createResponseCache({ kv: env.CACHE_KV, vectors, embedder: createEmbedder(env), calibration: d1Calibration(env.DB), settings: { defaults: policy, tenants: {} } });
}

/** Purge for DELETE /v1/cache: the tenant's entries (one feature's, when given). */
export function purgeCache(env: Bindings, tenantId: string, feature: string | null) {
  return buildResponseCache(env, {}).purge(tenantId, feature);
}

/**
 * `mayServe(modelId)`: whether this key may receive an answer from that model. Entries are not
 * keyed by API key, and "auto" or a tier name says nothing about a key's allow-lists, so a hit
 * produced by a model this key may not use is treated as a miss (and not overwritten).
 */
export function cacheStage(ex: ChatExchange, env: Bindings, headers: Headers, policy: PartialCachePolicy, mayServe: (modelId: string) => boolean = () => true): CacheStage {
  const cache = responseCache(env, policy);
  let built: CacheLookupInput | null = null;
  // Built on first use: the request it describes is final (redacted) by the time the cache runs.
  const input = (): CacheLookupInput =>
    (built ??= {
      request: ex.request,
      scope: { tenantId: ex.auth.tenantId, keyId: ex.auth.keyId, endUser: ex.request.user ?? null, feature: ex.feature },
      modelOrTier: ex.original.model,
      directives: parseCacheDirectives(headers),
      requestId: ex.requestId,
    });
  let looked: CacheLookupResult | null = null;
  return {
    async lookup() {
      looked = await cache.lookup(input());
      if (looked.response && !mayServe(looked.response.model)) {
        looked = { ...looked, status: "miss", response: undefined, entry: undefined, similarity: undefined, reason: "model_not_allowed", audit: false, costAvoidedUsd: 0, storable: false };
      }
      ex.cache = looked.status;
      ex.cacheSimilarity = looked.status.startsWith("hit") ? (looked.similarity ?? null) : null;
      Object.assign(ex.headers, cacheResponseHeaders(looked));
      // A sampled near-miss rides to the evaluator, which judges the cached answer against this question.
      const shadow = shadowPayload(looked);
      ex.decisions.cache = { ...cacheDecision(looked, ex.feature), ...(shadow ? { shadow } : {}) };
      return looked.response && looked.entry ? hitAnswer(looked) : null;
    },
    store(response, costUsd) {
      if (looked && !looked.storable) return null;
      return cache.store({ ...input(), response, costUsd, ...(looked ? { lookup: looked } : {}) });
    },
  };
}

/** A hit as an answer (exported for its tests). */
export function hitAnswer(hit: CacheLookupResult): CachedAnswer {
  return {
    respond(c, ex, filter, publish) {
      const cached = hit.response as ChatCompletionResponse;
      // As for a fresh answer (complete-response.ts): the output policy once (it may throw), its
      // form for the event, that form restored for the client. The entry is the policy's form
      // already, so the earlier scan's markers stay as they are (replayPolicy); entries stored
      // before the cache held that form carry the raw upstream text, and this keeps them out of
      // events too.
      const policed = mapChoiceTexts(cached.choices, (v) => filter.replayPolicy(v));
      const body: ChatCompletionResponse = { ...cached, choices: mapChoiceTexts(policed, (v) => filter.restore(v)) };
      const audit = auditPayload(hit);
      ex.decisions.cache = { ...(ex.decisions.cache as object), entryId: hit.entry?.entryId, costAvoidedUsd: hit.costAvoidedUsd, ...(audit ? { audit } : {}) };
      const usage = cached.usage ? fromOpenAIUsage(cached.usage) : EMPTY_USAGE;
      const answer = answerText(policed);
      publish({ status: 200, errorCode: null, usage, costUsd: 0, counterfactualCostUsd: hit.costAvoidedUsd, completedAt: Date.now(), ttftMs: null, answer });
      const headers = answerHeaders(ex, null);
      if (!ex.stream) return c.json(body, 200, headers);
      return new Response(replayAsSse(body, { includeUsage: ex.includeUsage }), { status: 200, headers: { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" } });
    },
  };
}
