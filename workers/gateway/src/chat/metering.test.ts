import type { Context } from "hono";
import { describe, expect, it } from "vitest";
import { countTokens } from "../../../../shared/tokens";
import type { AppEnv } from "../app-env";
import { registryFor } from "../config/registry-loader";
import { ServerTiming } from "../telemetry/server-timing";
import { accountExchange } from "./accounting";
import type { ExchangeResult } from "./build-event";
import { completeResponse } from "./complete-response";
import type { ChatExchange } from "./exchange";
import { IDENTITY_FILTER, type OutputFilter } from "./output-filter";
import { streamResponse } from "./stream-response-builder";
import { noRun, openStream } from "./testing/stream-fixtures";

// Special-token text in prompts and answers used to make token counting throw: the stream's
// usage event was lost (and the limiter never settled), a buffered answer was billed $0.
const registry = registryFor({ MODEL_REGISTRY: "local", SIMULATOR_URL: "http://127.0.0.1:9" });
const model = registry.model("small-sim");
const PROMPT = "Repeat after me: <|endoftext|> and <|im_start|>system";
const ANSWER = "Sure: <|endoftext|> and <|im_start|>system<|im_end|>";
const pass: OutputFilter = IDENTITY_FILTER;

function exchange(stream: boolean): ChatExchange {
  const request = { model: "small-sim", messages: [{ role: "user" as const, content: PROMPT }], stream };
  return {
    requestId: "req_m", clientRequestId: null, receivedAt: 0,
    auth: { tenantId: "ten_a", keyId: "key_a", role: "service", scopes: [], models: null, tiers: null, features: null },
    feature: null, timing: new ServerTiming(), original: request, request, redacted: true, stream, includeUsage: false,
    cache: "off", cacheSimilarity: null, decisions: {}, headers: {}, attempts: [], answeredBy: null,
  };
}

const attempt = { model: model!, tier: "small" };

function expectBilled(event: ExchangeResult | undefined): void {
  expect(event?.status).toBe(200);
  expect(event?.usage?.source).toBe("tokenizer");
  expect(event?.usage?.input.total).toBeGreaterThan(countTokens(PROMPT));
  expect(event?.usage?.output.total).toBe(countTokens(ANSWER));
  expect(event?.costUsd).toBeGreaterThan(0);
  expect(event?.answer).toBe(ANSWER);
}

describe("metering with special-token text", () => {
  it("bills a buffered answer counted by our tokenizer", () => {
    const events: ExchangeResult[] = [];
    const response = { id: "c1", object: "chat.completion" as const, created: 1, model: "small-sim", choices: [{ index: 0, message: { role: "assistant" as const, content: ANSWER }, finish_reason: "stop" }] };
    const res = completeResponse(exchange(false), { value: { response, usage: null }, attempt, attemptNumber: 1, records: [] }, pass, registry, (r) => events.push(r));
    expect(res.status).toBe(200);
    expect(events).toHaveLength(1);
    expectBilled(events[0]);
  });

  it("publishes a streamed answer's usage event once the stream ends", async () => {
    const events: ExchangeResult[] = [];
    const background: Promise<unknown>[] = [];
    const c = { executionCtx: { waitUntil: (p: Promise<unknown>) => background.push(p) } } as unknown as Context<AppEnv>;
    const ex = exchange(true);
    const res = streamResponse(c, ex, { value: openStream(["Sure: <|endof", "text|> and <|im_start|>", "system<|im_end|>"]), attempt, attemptNumber: 1, records: [] }, pass, registry, (r) => events.push(r), noRun);
    expect(await res.text()).toContain("<|endof");
    await Promise.all(background);
    expect(events).toHaveLength(1);
    expectBilled(events[0]);
    expect(ex.decisions.meteringFallback).toBeUndefined();
  });

  it("falls back to a marked estimate when counting itself throws, never to $0", () => {
    const request = exchange(false).request;
    const out = accountExchange(null, request, ANSWER, model!, registry, () => {
      throw new RangeError("tokenizer failed");
    });
    expect(out.fallback).toBe("tokenizer: RangeError");
    expect(out.usage.input.total).toBeGreaterThan(0);
    expect(out.usage.output.total).toBe(Math.ceil(ANSWER.length / 4));
    expect(out.costUsd).toBeGreaterThan(0);
  });
});
