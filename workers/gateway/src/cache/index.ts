/**
 * Public API of the response cache (what the gateway core imports). The Durable Object class
 * LocalVectorIndex is exported from vector-store/local/local-vector-index.ts for index.ts, and
 * createEmbedder from embedder/create-embedder.ts (both need Worker-only imports).
 */
export { createResponseCache, type ResponseCache, type ResponseCacheDeps, type PurgeResult } from "./response-cache";
export type { CacheLookupInput, CacheLookupResult, CacheStoreInput, CacheStatus, LookupContext } from "./types";
export type { CacheScope } from "./cache-key/cache-key";
export type { CacheEntry } from "./exact-cache/cache-entry";
export { CacheSettingsSchema, CachePolicySchema, PartialPolicySchema, DEFAULT_POLICY, DEFAULT_CACHE_SETTINGS, DEFAULT_SEMANTIC_THRESHOLD, resolvePolicy, type CacheSettings, type CachePolicy } from "./settings";
export { parseCacheDirectives, cacheResponseHeaders, type CacheDirectives } from "./cache-control";
export { replayAsSse, replayChunks } from "./replay/replay-sse";
export { shouldAudit } from "./audit";
export { auditPayload, shadowPayload, type CacheAuditPayload } from "./audit-payload";
export { cacheDecision, type CacheDecision } from "./decision-record";
export { d1Calibration, type CalibrationSource } from "./calibration/calibration-source";
export { guardCompatible, type GuardVerdict } from "./guards/guard-compatible";
export type { Embedder } from "./embedder/embedder";
export { LocalEmbedder } from "./embedder/local/local-embedder";
export { WorkersAiEmbedder } from "./embedder/workers-ai/workers-ai-embedder";
export type { VectorStore, VectorItem, Match, VectorQuery, PurgeFilter } from "./vector-store/vector-store";
export { createLocalVectorStore } from "./vector-store/local/local-vector-store";
export { createVectorizeStore } from "./vector-store/vectorize/vectorize-store";
