/**
 * The event the gateway puts on the usage queue for every request (success, error, cache hit)
 * and the evaluator consumes. Versioned: a consumer accepts every version it knows and
 * dead-letters the rest. It never carries unredacted prompt text: `content` holds the
 * redacted exchange only (placeholders such as <PERSON_1>), for judges and traces.
 */
import { z } from "zod";

export const TokenUsageSchema = z.object({
  input: z.object({ total: z.number().int().nonnegative(), cached: z.number().int().nonnegative() }),
  output: z.object({ total: z.number().int().nonnegative(), reasoning: z.number().int().nonnegative() }),
  /** Where the counts came from: the upstream's own usage, or our tokenizer. */
  source: z.enum(["upstream", "tokenizer", "none"]),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

export const AttemptRecordSchema = z.object({
  model: z.string(),
  tier: z.string(),
  upstream: z.string(),
  attempt: z.number().int().min(1),
  outcome: z.enum(["ok", "error", "timeout", "circuit_open", "skipped"]),
  status: z.number().int().optional(),
  reason: z.string().max(500).optional(),
  durationMs: z.number().nonnegative(),
});
export type AttemptRecord = z.infer<typeof AttemptRecordSchema>;

/**
 * A request the client abandoned (nginx's 499), e.g. a stream it disconnected from: booked with
 * error code `client_closed`, billed for what was generated, and not an error in usage reports
 * or alerts (nothing failed upstream or here).
 */
export const CLIENT_CLOSED_STATUS = 499;
/** SQL predicate over a `status` column: the statuses that count as errors. */
export const ERROR_STATUS_SQL = `(status >= 400 AND status <> ${CLIENT_CLOSED_STATUS})`;

export const StageTimingSchema = z.object({ name: z.string(), durationMs: z.number().nonnegative() });

export const UsageEventV1Schema = z.object({
  version: z.literal(1),
  kind: z.enum(["chat", "embeddings"]),
  requestId: z.string().min(1).max(128),
  /** ms since epoch when the gateway received the request. */
  receivedAt: z.number().int(),
  /** ms since epoch when the response finished (last byte for streams). */
  completedAt: z.number().int(),
  tenantId: z.string(),
  keyId: z.string(),
  feature: z.string().max(128).nullable(),
  endUser: z.string().max(512).nullable(),
  requestedModel: z.string(),
  model: z.string().nullable(),
  tier: z.string().nullable(),
  upstream: z.string().nullable(),
  stream: z.boolean(),
  status: z.number().int(),
  errorCode: z.string().nullable(),
  cache: z.enum(["hit-exact", "hit-semantic", "miss", "bypass", "off"]),
  cacheSimilarity: z.number().nullable().optional(),
  usage: TokenUsageSchema,
  /** Cost of this request in USD as priced by the gateway at request time. */
  costUsd: z.number().nonnegative(),
  /** What the same request would have cost on the frontier-only counterfactual. */
  counterfactualCostUsd: z.number().nonnegative().optional(),
  latencyMs: z.number().nonnegative(),
  ttftMs: z.number().nonnegative().nullable(),
  attempts: z.array(AttemptRecordSchema).max(32),
  stages: z.array(StageTimingSchema).max(64),
  /** The prompt version a chat request was rendered from (POST /v1/prompts); the ledger keeps it. */
  prompt: z.object({ id: z.string().min(1).max(64), version: z.number().int().min(1) }).optional(),
  /** Decisions of the request path (route, guardrails, cache) for the trace; free-form JSON. */
  decisions: z.record(z.string(), z.unknown()).default({}),
  /** Redacted exchange for judges and traces; absent when the tenant disables content capture. */
  content: z
    .object({
      messages: z.array(z.object({ role: z.string(), content: z.string() })).max(2048),
      response: z.string(),
      responseFormat: z.unknown().optional(),
    })
    .optional(),
});
export type UsageEventV1 = z.infer<typeof UsageEventV1Schema>;

export const UsageEventSchema = z.discriminatedUnion("version", [UsageEventV1Schema]);
export type UsageEvent = z.infer<typeof UsageEventSchema>;

/**
 * What one queue message carries: a pack of usage events, up to MAX_EVENTS_PER_PACK and about
 * PACK_MAX_BYTES. The gateway packs the events an isolate produces within a short linger
 * window (telemetry/event-batcher.ts): Queues bills each message (per 64 KB), so one 100 KB
 * message of ~60 events costs a few operations instead of ~60 × 3, and the producer's
 * per-message work shrinks the same way. The consumer validates the events one by one, so a
 * malformed event never sinks the rest of its pack; a message that is a bare event (an
 * older producer) is accepted too. The gateway sends the pack as JSON text (contentType
 * "text"), assembled from events it serialized once.
 */
export const MAX_EVENTS_PER_PACK = 100;
/** Under the Queues 128 KB message cap with room for the envelope and the size estimate's error. */
export const PACK_MAX_BYTES = 100_000;
export const UsageEventPackSchema = z.object({
  pack: z.literal(1),
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_PACK),
});
export interface UsageEventPack {
  pack: 1;
  events: UsageEvent[];
}
