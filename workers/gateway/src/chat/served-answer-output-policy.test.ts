import type { Context } from "hono";
import { describe, expect, it } from "vitest";
import type { ChatCompletionResponse } from "../../../../shared/schemas/openai-chat";
import type { AppEnv } from "../app-env";
import { GuardrailSettingsSchema } from "../guardrails/settings";
import { ServerTiming } from "../telemetry/server-timing";
import { buildChatEvent, type ExchangeResult } from "./build-event";
import { completeResponse } from "./complete-response";
import type { ChatExchange } from "./exchange";
import { mapChoiceTexts } from "./output-filter";
import type { CacheLookupResult } from "../cache/types";
import { hitAnswer } from "./stages/cache-stage";
import { testHashKey } from "../guardrails/testing/hash-key";
import { applyInputGuardrails } from "./stages/guardrails-stage";
import { streamResponse } from "./stream-response-builder";
import { registry } from "./testing/shadow-fixtures";
import { noRun, openStream } from "./testing/stream-fixtures";

// A served answer's copy in the usage event (queue, D1 traces, judges, exports) and in the cache
// is the tenant's output policy's form: PII the model wrote on its own never reaches them in clear.
const USER_EMAIL = "priya.nair@example.org";
const CARD = "4539 1488 0343 6467";
const SSN = "521-44-9382";
const DESK = "orders.team@harbour-freight.com";
const ANSWER = `I have mailed <EMAIL_ADDRESS_1> the refund form. The card on file is ${CARD}, the SSN ${SSN}; questions go to ${DESK}.`;
const CLEAR = [CARD, "4539", SSN, DESK, USER_EMAIL];

const guardrails = (entities: Record<string, string> = {}) => GuardrailSettingsSchema.parse({ pii: { entities }, injection: { enabled: false } });
const model = registry.model("frontier-sim");
const attempt = { model: model!, tier: "frontier" };

function exchange(stream: boolean): ChatExchange {
  const original = { model: "frontier-sim", messages: [{ role: "user" as const, content: `Mail ${USER_EMAIL} the refund form and tell me what is on file.` }], stream };
  return {
    requestId: "req_policy", clientRequestId: null, receivedAt: 0,
    auth: { tenantId: "ten_a", keyId: "key_a", role: "service", scopes: [], models: null, tiers: null, features: null },
    feature: null, timing: new ServerTiming(), original, request: original, redacted: true, stream, includeUsage: false,
    cache: "miss", cacheSimilarity: null, decisions: {}, headers: {}, attempts: [], answeredBy: null,
  };
}

const upstreamAnswer = (content: string): ChatCompletionResponse => ({
  id: "c1", object: "chat.completion", created: 1, model: "frontier-sim",
  choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
});

interface Served { ex: ChatExchange; client: ChatCompletionResponse | null; events: ExchangeResult[]; stored: ChatCompletionResponse[] }

async function serveWhole(entities?: Record<string, string>, content = ANSWER): Promise<Served> {
  const ex = exchange(false);
  const filter = await applyInputGuardrails(ex, guardrails(entities), testHashKey(ex.auth.tenantId));
  const events: ExchangeResult[] = [];
  const stored: ChatCompletionResponse[] = [];
  const usage = { input: { total: 40, cached: 0 }, output: { total: 30, reasoning: 0 }, source: "upstream" as const };
  try {
    const res = completeResponse(ex, { value: { response: upstreamAnswer(content), usage }, attempt, attemptNumber: 1, records: [] }, filter, registry, (r) => events.push(r), (a) => stored.push(a));
    return { ex, client: (await res.json()) as ChatCompletionResponse, events, stored };
  } catch {
    return { ex, client: null, events, stored };
  }
}

async function serveStream(entities?: Record<string, string>): Promise<{ ex: ChatExchange; text: string; event: ExchangeResult }> {
  const ex = exchange(true);
  const filter = await applyInputGuardrails(ex, guardrails(entities), testHashKey(ex.auth.tenantId));
  const events: ExchangeResult[] = [];
  const background: Promise<unknown>[] = [];
  const c = { executionCtx: { waitUntil: (p: Promise<unknown>) => background.push(p) } } as unknown as Context<AppEnv>;
  // Split inside the card number and inside the placeholder: the policy must see the whole text.
  const pieces = [ANSWER.slice(0, 20), ANSWER.slice(20, 60), ANSWER.slice(60, 100), ANSWER.slice(100)];
  const res = streamResponse(c, ex, { value: openStream(pieces, "frontier-sim"), attempt, attemptNumber: 1, records: [] }, filter, registry, (r) => events.push(r), noRun);
  const text = await res.text();
  await Promise.all(background);
  expect(events).toHaveLength(1);
  return { ex, text, event: events[0]! };
}

const REDACTED = "I have mailed <EMAIL_ADDRESS_1> the refund form. The card on file is <CREDIT_CARD_REDACTED>, the SSN <US_SSN_REDACTED>; questions go to <EMAIL_ADDRESS_REDACTED>.";

describe("served answers: the stored copy is the output policy's form", () => {
  it("a whole answer: the client gets it restored and redacted; the event and the cache entry hold the redacted form", async () => {
    const { ex, client, events, stored } = await serveWhole();
    expect(client?.choices[0]?.message.content).toBe(REDACTED.replace("<EMAIL_ADDRESS_1>", USER_EMAIL));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 200, answer: REDACTED });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.choices[0]?.message.content).toBe(REDACTED);
    const copies = JSON.stringify([buildChatEvent(ex, events[0]!), stored]);
    for (const value of CLEAR) expect(copies).not.toContain(value);
  });

  it("bills what the model wrote, not the shorter redacted form", async () => {
    const ex = exchange(false);
    const filter = await applyInputGuardrails(ex, guardrails(), testHashKey(ex.auth.tenantId));
    const events: ExchangeResult[] = [];
    completeResponse(ex, { value: { response: upstreamAnswer(ANSWER), usage: null }, attempt, attemptNumber: 1, records: [] }, filter, registry, (r) => events.push(r));
    const plain = exchange(false);
    const plainEvents: ExchangeResult[] = [];
    completeResponse(plain, { value: { response: upstreamAnswer(ANSWER), usage: null }, attempt, attemptNumber: 1, records: [] }, { ...filter, policy: (v) => v }, registry, (r) => plainEvents.push(r));
    expect(events[0]?.usage?.output.total).toBe(plainEvents[0]?.usage?.output.total);
  });

  it("a streamed answer: the client's stream is restored only; the event holds the policy's form of the whole text", async () => {
    const { ex, text, event } = await serveStream();
    // Live streams are not scanned for the client (docs/guardrails.md); only the copy is.
    expect(text).toContain(USER_EMAIL);
    expect(text).toContain(CARD);
    expect(event).toMatchObject({ status: 200, answer: REDACTED });
    const copy = JSON.stringify(buildChatEvent(ex, event));
    for (const value of CLEAR) expect(copy).not.toContain(value);
  });

  it("a blocked answer: billed, answer null in the event, nothing cached", async () => {
    const { ex, client, events, stored } = await serveWhole({ US_SSN: "block" });
    expect(client).toBeNull();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ errorCode: "output_blocked", answer: null });
    expect(events[0]?.costUsd).toBeGreaterThan(0);
    expect(stored).toEqual([]);
    expect(JSON.stringify(buildChatEvent(ex, events[0]!))).not.toContain(SSN);
  });

  it("keeps the prompt's placeholder a placeholder in the event when the policy has nothing to say", async () => {
    const { events, stored } = await serveWhole({}, "Done: <EMAIL_ADDRESS_1> has the refund form.");
    expect(events[0]?.answer).toBe("Done: <EMAIL_ADDRESS_1> has the refund form.");
    expect(stored[0]?.choices[0]?.message.content).toBe("Done: <EMAIL_ADDRESS_1> has the refund form.");
  });

  it.each([
    ["redact", {}],
    ["mask", { CREDIT_CARD: "mask", US_SSN: "mask", EMAIL_ADDRESS: "mask" }],
    ["hash", { CREDIT_CARD: "hash", US_SSN: "hash", EMAIL_ADDRESS: "hash" }],
  ] as const)("a replay of the cached %s form gives the client what the fresh answer gave", async (_action, entities) => {
    const fresh = await serveWhole(entities);
    const cached = fresh.stored[0]!;
    for (const value of [CARD, SSN, DESK]) expect(JSON.stringify(cached)).not.toContain(value);
    // The next request with the same prompt: cache-stage.ts replays through its own filter.
    const replayFilter = await applyInputGuardrails(exchange(false), guardrails(entities), testHashKey("ten_a"));
    expect(mapChoiceTexts(cached.choices, (t) => replayFilter.restore(replayFilter.replayPolicy(t)))).toEqual(fresh.client?.choices);
  });

  it("a hit on an entry stored before the cache held the policy's form publishes the policy's form", async () => {
    const fresh = await serveWhole();
    const ex = { ...exchange(false), cache: "hit-exact" as const };
    const filter = await applyInputGuardrails(ex, guardrails(), testHashKey(ex.auth.tenantId));
    const legacy = { status: "hit-exact", response: upstreamAnswer(ANSWER), entry: { entryId: "e_legacy" }, audit: false, costAvoidedUsd: 0.01, storable: false } as unknown as CacheLookupResult;
    const events: ExchangeResult[] = [];
    const c = { json: (body: unknown, status: number, headers: Record<string, string>) => new Response(JSON.stringify(body), { status, headers }) } as unknown as Context<AppEnv>;
    const res = hitAnswer(legacy).respond(c, ex, filter, (r) => events.push(r));
    for (const value of CLEAR.filter((v) => v !== USER_EMAIL)) expect(events[0]?.answer).not.toContain(value);
    expect(events[0]?.answer).toBe(fresh.events[0]?.answer);
    expect(((await res.json()) as ChatCompletionResponse).choices).toEqual(fresh.client?.choices);
  });
});
