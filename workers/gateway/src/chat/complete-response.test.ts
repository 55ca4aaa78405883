import { describe, expect, it } from "vitest";
import { GatewayError } from "../../../../shared/errors";
import { registryFor } from "../config/registry-loader";
import { ServerTiming } from "../telemetry/server-timing";
import { completeResponse } from "./complete-response";
import type { ExchangeResult } from "./build-event";
import type { ChatExchange } from "./exchange";

const registry = registryFor({ MODEL_REGISTRY: "local", SIMULATOR_URL: "http://127.0.0.1:9" });
const model = registry.model("frontier-sim");

function exchange(): ChatExchange {
  const request = { model: "frontier-sim", messages: [{ role: "user" as const, content: "Write me a contact card" }] };
  return {
    requestId: "req_t", clientRequestId: null, receivedAt: 0,
    auth: { tenantId: "ten_a", keyId: "key_a", role: "service", scopes: [], models: null, tiers: null, features: null },
    feature: null, timing: new ServerTiming(), original: request, request, redacted: true, stream: false, includeUsage: false,
    cache: "off", cacheSimilarity: null, decisions: {}, headers: {}, attempts: [], answeredBy: null,
  };
}

const answered = () => ({
  value: {
    response: { id: "c1", object: "chat.completion" as const, created: 1, model: "frontier-sim", choices: [{ index: 0, message: { role: "assistant" as const, content: "Call 555-0100" }, finish_reason: "stop" }] },
    usage: { input: { total: 1_000, cached: 0 }, output: { total: 500, reasoning: 0 }, source: "upstream" as const },
  },
  attempt: { model: model!, tier: "frontier" },
  attemptNumber: 1,
  records: [],
});

describe("completeResponse", () => {
  it("bills an answer the output policy withholds, without putting the answer in the event", () => {
    const events: ExchangeResult[] = [];
    const withhold = (): never => { throw new GatewayError("guardrail_blocked", "withheld", { code: "output_blocked" }); };
    const blocked = { policy: withhold, replayPolicy: withhold, restore: (v: string) => v, text: withhold, stream: () => { throw new Error("unused"); } };
    expect(() => completeResponse(exchange(), answered(), blocked, registry, (r) => events.push(r))).toThrow("withheld");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ errorCode: "output_blocked", answer: null, usage: { input: { total: 1_000 }, output: { total: 500 } } });
    expect(events[0]?.status).toBeGreaterThanOrEqual(400);
    expect(events[0]?.costUsd).toBeGreaterThan(0);
  });
});
