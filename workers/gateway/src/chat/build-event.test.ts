/**
 * The gateway does not re-validate usage events on the request path (telemetry/publish-event.ts):
 * this property is what makes that safe. Whatever a valid request and pipeline produce, the
 * event the builder derives must pass the schema the evaluator validates with.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { UsageEventSchema, type AttemptRecord } from "../../../../shared/schemas/usage-event";
import { ServerTiming } from "../telemetry/server-timing";
import { buildChatEvent } from "./build-event";
import type { ChatExchange } from "./exchange";

const attempt: fc.Arbitrary<AttemptRecord> = fc.record({
  model: fc.string(),
  tier: fc.string(),
  upstream: fc.string(),
  attempt: fc.integer({ min: 1, max: 10 }),
  outcome: fc.constantFrom("ok", "error", "timeout", "circuit_open", "skipped"),
  reason: fc.string({ maxLength: 200 }),
  durationMs: fc.nat(),
});

const exchange = fc.record({
  feature: fc.option(fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/), { nil: null }),
  user: fc.option(fc.string({ maxLength: 512 }), { nil: undefined }),
  model: fc.string({ minLength: 1, maxLength: 256 }),
  messages: fc.array(fc.record({ role: fc.constantFrom("system", "user", "assistant"), content: fc.string() }), { minLength: 1, maxLength: 5 }),
  attempts: fc.array(attempt, { maxLength: 40, size: "max" }),
  stages: fc.array(fc.tuple(fc.string(), fc.nat()), { maxLength: 80, size: "max" }),
  decisions: fc.dictionary(fc.string(), fc.jsonValue()),
  answer: fc.option(fc.string(), { nil: null }),
  status: fc.constantFrom(200, 400, 429, 502),
});

describe("buildChatEvent", () => {
  it("always yields an event the evaluator's schema accepts", () => {
    fc.assert(
      fc.property(exchange, (x) => {
        const timing = new ServerTiming();
        for (const [name, ms] of x.stages) timing.add(name, ms);
        const request = { model: x.model, messages: x.messages, ...(x.user !== undefined ? { user: x.user } : {}) } as ChatExchange["request"];
        const ex: ChatExchange = {
          requestId: "req_test",
          clientRequestId: null,
          receivedAt: 1_000,
          auth: { tenantId: "ten_a", keyId: "key_a", role: "service", scopes: [], models: null, tiers: null, features: null },
          feature: x.feature,
          timing,
          original: request,
          request,
          redacted: true,
          stream: false,
          includeUsage: false,
          cache: "miss",
          cacheSimilarity: null,
          decisions: x.decisions,
          headers: {},
          attempts: x.attempts,
          answeredBy: null,
        };
        const event = buildChatEvent(ex, { status: x.status, errorCode: null, usage: null, costUsd: 0, completedAt: 2_000, ttftMs: null, answer: x.answer });
        const parsed = UsageEventSchema.safeParse(event);
        expect(parsed.success).toBe(true);
      }),
    );
  });
});
