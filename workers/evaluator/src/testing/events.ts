/** Builders of valid usage events for tests and the bench. */
import type { UsageEvent } from "../../../../shared/schemas/usage-event";

export function usageEvent(overrides: Partial<UsageEvent> = {}): UsageEvent {
  const completedAt = overrides.completedAt ?? Date.parse("2026-11-27T02:10:00Z");
  return {
    version: 1,
    kind: "chat",
    requestId: "req-1",
    receivedAt: completedAt - 500,
    completedAt,
    tenantId: "t1",
    keyId: "k1",
    feature: "support",
    endUser: "u1",
    requestedModel: "auto",
    model: "frontier-sim",
    tier: "frontier",
    upstream: "simulator",
    stream: false,
    status: 200,
    errorCode: null,
    cache: "miss",
    usage: { input: { total: 1000, cached: 200 }, output: { total: 500, reasoning: 0 }, source: "upstream" },
    costUsd: 0.123,
    counterfactualCostUsd: 0.01,
    latencyMs: 480,
    ttftMs: 120,
    attempts: [{ model: "frontier-sim", tier: "frontier", upstream: "simulator", attempt: 1, outcome: "ok", status: 200, durationMs: 400 }],
    stages: [
      { name: "auth", durationMs: 2 },
      { name: "upstream", durationMs: 400 },
    ],
    decisions: { route: { tier: "frontier", complexity: 0.7, intent: "factual_qa" }, cache: { status: "miss" } },
    content: {
      messages: [
        { role: "system", content: "Context: the refund window is 30 days." },
        { role: "user", content: "Hi, I am <PERSON_1>, how long is the refund window?" },
      ],
      response: "The refund window is 30 days.",
    },
    ...overrides,
  };
}

/** A sampled semantic hit as the gateway's cache stage publishes it (decisions.cache.audit). */
export function semanticHitEvent(requestId: string, audit: { cachedQuestion: string; question: string; similarity: number; answer: string }, overrides: Partial<UsageEvent> = {}): UsageEvent {
  const entryId = `entry-${requestId}`;
  return usageEvent({
    requestId,
    cache: "hit-semantic",
    cacheSimilarity: audit.similarity,
    costUsd: 0,
    attempts: [],
    decisions: {
      cache: {
        status: "hit-semantic",
        similarity: audit.similarity,
        entryId,
        costAvoidedUsd: 0.01,
        audit: { entryId, similarity: audit.similarity, cachedQuestion: audit.cachedQuestion, question: audit.question, cachedModelOrTier: "auto", cachedAt: Date.parse("2026-11-27T01:00:00Z") },
      },
    },
    content: { messages: [{ role: "system", content: "You are a support assistant." }, { role: "user", content: audit.question }], response: audit.answer },
    ...overrides,
  });
}

/** Calibration fields the gateway adds to audit and shadow payloads (scorer id, band key). */
export const TEST_SCORER = "local-glove72-avg-v28000@w0.45";

/**
 * A miss whose closest neighbour was refused by the threshold and sampled for a shadow check
 * (decisions.cache.shadow): the cached answer is judged against the question asked, with the
 * fresh answer (content.response) as reference.
 */
export function shadowCheckEvent(
  requestId: string,
  shadow: { cachedQuestion: string; question: string; similarity: number; band: number; cachedAnswer: string; freshAnswer: string },
  overrides: Partial<UsageEvent> = {},
): UsageEvent {
  const entryId = `entry-${requestId}`;
  return usageEvent({
    requestId,
    cache: "miss",
    decisions: {
      cache: {
        status: "miss",
        reason: "cold-start",
        shadow: {
          kind: "shadow", entryId, similarity: shadow.similarity, cachedQuestion: shadow.cachedQuestion, question: shadow.question,
          cachedModelOrTier: "auto", cachedAt: Date.parse("2026-11-27T01:00:00Z"), scorer: TEST_SCORER, band: shadow.band, cachedAnswer: shadow.cachedAnswer,
        },
      },
    },
    content: { messages: [{ role: "system", content: "You are a support assistant." }, { role: "user", content: shadow.question }], response: shadow.freshAnswer },
    ...overrides,
  });
}
