/** The response cache's public input/output shapes (see response-cache.ts). */
import type { ChatCompletionRequest, ChatCompletionResponse } from "../../../../shared/schemas/openai-chat";
import type { CacheDirectives } from "./cache-control";
import type { CacheKeys, CacheScope } from "./cache-key/cache-key";
import type { CacheEntry } from "./exact-cache/cache-entry";
import type { CachePolicy } from "./settings";
import type { GatePhase } from "./calibration/gate";
import type { NearMiss, ShadowCandidate } from "./semantic-cache/semantic-cache";

export type CacheStatus = "hit-exact" | "hit-semantic" | "miss" | "bypass";

export interface CacheLookupInput {
  /** The redacted, validated request (the cache never sees raw PII). */
  request: ChatCompletionRequest;
  scope: CacheScope;
  /** What the answer depends on: the requested model, or the tier the router resolved. */
  modelOrTier: string;
  directives: CacheDirectives;
  requestId: string;
  now?: number;
}

/** Computed once by lookup and reused by store (keys, embedding). */
export interface LookupContext {
  policy: CachePolicy;
  keys: CacheKeys | null;
  question: string;
  embedding: Float32Array | null;
}

/** What the semantic side decided with: the threshold in force and where it came from. */
export interface SemanticDecision {
  /** Lowest hit score served; null = exact hits only. */
  threshold: number | null;
  phase: GatePhase;
  /** The maximum false-hit rate in force (null in static mode). */
  delta: number | null;
  /** Checked outcomes the namespace's bound rests on. */
  checks: number;
  /** Calibration scorer (embedder + lexical weight). */
  scorer: string;
  /** The served hit's similarity band (hits only). */
  band?: number;
}

export interface CacheLookupResult {
  status: CacheStatus;
  /** The cached answer, re-stamped with this request's id and time. */
  response?: ChatCompletionResponse;
  /** Hit score of a hit (1 for exact hits); absent on misses (see nearMiss). */
  similarity?: number;
  /** Present when the semantic side ran. */
  semantic?: SemanticDecision;
  /** The closest neighbour not served and why (guard, bound, cold start). */
  nearMiss?: NearMiss;
  /** A sampled near-miss for the evaluator's shadow check (miss only). */
  shadow?: ShadowCandidate;
  entry?: CacheEntry;
  /** Why the cache was bypassed or a neighbour refused ("no-cache", "guard:numbers", ...). */
  reason?: string;
  /** Sampled semantic hit: mark the queue event so the evaluator judges it. */
  audit: boolean;
  /** Original upstream cost of the replayed answer (0 unless a hit). */
  costAvoidedUsd: number;
  /** Whether the caller should call store() with the upstream answer. */
  storable: boolean;
  context: LookupContext;
}

export interface CacheStoreInput extends CacheLookupInput {
  response: ChatCompletionResponse;
  costUsd: number;
  /** Pass the lookup result to reuse its keys and embedding. */
  lookup?: CacheLookupResult;
}
