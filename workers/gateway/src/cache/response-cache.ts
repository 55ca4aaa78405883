/**
 * The cache as the request path sees it: lookup (exact, then semantic) before routing, store
 * after a successful upstream answer, purge for admins. Everything it reads is redacted.
 */
import { lastUserText, type ChatCompletionResponse } from "../../../../shared/schemas/openai-chat";
import { shouldAudit } from "./audit";
import { computeCacheKeys } from "./cache-key/cache-key";
import { readEntry, writeEntry, type CacheEntry } from "./exact-cache/cache-entry";
import type { Embedder } from "./embedder/embedder";
import { lookupBypass, requestIneligible, responseUnstorable, semanticEligible } from "./eligibility";
import { bumpGeneration, readGeneration } from "./generations";
import { findSemanticHit, indexEntry, type SemanticOutcome } from "./semantic-cache/semantic-cache";
import { noCalibration, type CalibrationSource } from "./calibration/calibration-source";
import { boundAt, refusalReason, type Gate } from "./calibration/gate";
import { namespaceGate } from "./calibration/namespace-gate";
import { scorerId } from "./calibration/scorer";
import { resolvePolicy, type CacheSettings } from "./settings";
import type { CacheLookupInput, CacheLookupResult, CacheStoreInput, LookupContext } from "./types";
import type { VectorStore } from "./vector-store/vector-store";

export interface ResponseCacheDeps {
  kv: KVNamespace;
  vectors: VectorStore;
  embedder: Embedder;
  settings: CacheSettings;
  /** Correctness feedback per namespace and band; without it every namespace stays cold. */
  calibration?: CalibrationSource;
}

export interface PurgeResult {
  /** Vector rows physically deleted (-1 when the store cannot tell, e.g. Vectorize). */
  vectorsDeleted: number;
}

export interface ResponseCache {
  lookup(input: CacheLookupInput): Promise<CacheLookupResult>;
  store(input: CacheStoreInput): Promise<void>;
  purge(tenantId: string, feature?: string | null): Promise<PurgeResult>;
}

export function createResponseCache(deps: ResponseCacheDeps): ResponseCache {
  return {
    lookup: (input) => lookup(deps, input),
    store: (input) => store(deps, input),
    async purge(tenantId, feature = null) {
      await bumpGeneration(deps.kv, tenantId, feature);
      return { vectorsDeleted: await deps.vectors.purge({ tenantId, feature }) };
    },
  };
}

async function prepare(deps: ResponseCacheDeps, input: CacheLookupInput): Promise<LookupContext & { skip: string | null }> {
  const policy = resolvePolicy(deps.settings, input.scope.tenantId, input.scope.feature);
  const question = lastUserText(input.request.messages);
  const skip = requestIneligible(input.request, policy, question);
  if (skip) return { policy, keys: null, question, embedding: null, skip };
  const generation = await readGeneration(deps.kv, input.scope.tenantId, input.scope.feature);
  const keys = await computeCacheKeys(input.request, input.modelOrTier, input.scope, policy, generation);
  return { policy, keys, question, embedding: null, skip: null };
}

async function lookup(deps: ResponseCacheDeps, input: CacheLookupInput): Promise<CacheLookupResult> {
  const now = input.now ?? Date.now();
  if (input.directives.noCache && input.directives.noStore) {
    // Neither read nor written: no keys to compute, no KV or vector reads at all.
    const policy = resolvePolicy(deps.settings, input.scope.tenantId, input.scope.feature);
    return { status: "bypass", reason: "no-cache", audit: false, costAvoidedUsd: 0, storable: false, context: { policy, keys: null, question: "", embedding: null } };
  }
  const { skip, ...context } = await prepare(deps, input);
  const miss = (status: "miss" | "bypass", reason?: string, similarity?: number): CacheLookupResult => ({
    status, reason, similarity, audit: false, costAvoidedUsd: 0, storable: status === "miss" || reason === "no-cache", context,
  });
  if (skip || !context.keys) return { ...miss("bypass", skip ?? "ineligible"), storable: false };
  const bypass = lookupBypass(input.directives);
  if (bypass) return miss("bypass", bypass);
  const { policy, keys, question } = context;
  if (policy.exact) {
    const entry = await readEntry(deps.kv, keys.exactKey, input.scope.tenantId, now);
    if (entry) return hit("hit-exact", entry, 1, input, context, now);
  }
  if (!semanticEligible(input.request, question, policy)) return miss("miss");
  const [embedding] = await deps.embedder.embed([question]);
  if (!embedding) return miss("miss", "embedding-failed");
  context.embedding = embedding;
  const scorer = scorerId(deps.embedder.id, policy.lexicalWeight);
  const calibrationKey = { tenantId: input.scope.tenantId, feature: input.scope.feature ?? "", scorerId: scorer };
  const gate = await namespaceGate(deps.calibration ?? noCalibration(), calibrationKey, policy, now);
  const threshold = thresholdInForce(gate, input.directives.threshold, policy.minThresholdOverride);
  const found = await findSemanticHit(deps, {
    tenantId: input.scope.tenantId, keys, question, embedding, threshold, belowThreshold: refusalReason(gate), boundAt: (score) => boundAt(gate, score),
    lexicalWeight: policy.lexicalWeight, minCosine: policy.minCosine, topK: policy.topK, now,
  });
  const semantic = { threshold, phase: gate.phase, delta: gate.delta, checks: gate.checks, scorer };
  if (found.hit) return { ...hit("hit-semantic", found.entry, found.similarity, input, context, now), semantic: { ...semantic, band: found.band } };
  return { ...miss("miss", found.reason), semantic, ...nearMissParts(found, policy.shadowRate, input.requestId) };
}

/**
 * The gate's threshold, or the client's `x-cache-threshold`. Under a false-hit bound a client
 * may only tighten it (a looser threshold would void the bound); in static mode it may loosen
 * it down to minThresholdOverride, as before.
 */
function thresholdInForce(gate: Gate, override: number | null, floor: number): number | null {
  if (override === null) return gate.threshold;
  if (gate.phase === "static") return Math.max(override, floor);
  return gate.threshold === null ? null : Math.max(gate.threshold, override);
}

function nearMissParts(found: Extract<SemanticOutcome, { hit: false }>, shadowRate: number, requestId: string): Pick<CacheLookupResult, "nearMiss" | "shadow"> {
  // A different salt from the audit sample, so shadow and audit samples are independent.
  const shadow = found.shadow && shouldAudit(shadowRate, `shadow:${requestId}`) ? found.shadow : undefined;
  return { ...(found.nearMiss ? { nearMiss: found.nearMiss } : {}), ...(shadow ? { shadow } : {}) };
}

async function store(deps: ResponseCacheDeps, input: CacheStoreInput): Promise<void> {
  const now = input.now ?? Date.now();
  const context = input.lookup?.context ?? (await prepare(deps, input));
  if (!context.keys || (input.lookup && !input.lookup.storable)) return;
  const { policy, keys, question } = context;
  if (responseUnstorable(input.response, policy, input.directives)) return;
  const semantic = semanticEligible(input.request, question, policy);
  const embedding = semantic ? (context.embedding ?? (await deps.embedder.embed([question]))[0]) : undefined;
  const entry: CacheEntry = {
    v: 1,
    entryId: `ce_${keys.exactKey.slice(-24)}`,
    tenantId: input.scope.tenantId,
    feature: input.scope.feature,
    scopeHash: keys.scopeHash,
    fingerprint: keys.fingerprint,
    modelOrTier: input.modelOrTier,
    question,
    response: input.response,
    usage: input.response.usage ?? null,
    costUsd: input.costUsd,
    embedderId: embedding ? deps.embedder.id : null,
    createdAt: now,
    expiresAt: now + policy.ttlSeconds * 1000,
  };
  await writeEntry(deps.kv, keys.exactKey, entry, policy.ttlSeconds);
  if (embedding) await indexEntry(deps, keys, entry, embedding);
}

function hit(
  status: "hit-exact" | "hit-semantic",
  entry: CacheEntry,
  similarity: number,
  input: CacheLookupInput,
  context: LookupContext,
  now: number,
): CacheLookupResult {
  const response: ChatCompletionResponse = { ...entry.response, id: `chatcmpl-${input.requestId}`, created: Math.floor(now / 1000) };
  const audit = status === "hit-semantic" && shouldAudit(context.policy.auditRate, input.requestId);
  return { status, response, similarity, entry, audit, costAvoidedUsd: entry.costUsd, storable: false, context };
}
