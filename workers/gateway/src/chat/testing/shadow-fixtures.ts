/** Shared by the shadow tests: a request the router sent to the frontier, and an upstream that answers (or fails) every shadow call. */
import { registryFor } from "../../config/registry-loader";
import type { BreakerClient } from "../../router/attempts/circuit-breaker";
import { ServerTiming } from "../../telemetry/server-timing";
import type { ChatExchange } from "../exchange";

export const registry = registryFor({ MODEL_REGISTRY: "local", SIMULATOR_URL: "http://127.0.0.1:9" });
const breaker: BreakerClient = { admit: async () => "closed", report: async () => undefined };

export function exchange(requestId = "req_shadow_1"): ChatExchange {
  // The client wrote a real address; every later stage (and so the shadow) sees only the placeholder.
  const original = { model: "auto", messages: [{ role: "user" as const, content: "Mail ana.lopez@example.com the refund policy." }], stream: true, stream_options: { include_usage: true } };
  const request = { ...original, messages: [{ role: "user" as const, content: "Mail <EMAIL_ADDRESS_1> the refund policy." }] };
  return {
    requestId, clientRequestId: "client-7", receivedAt: 1_000,
    auth: { tenantId: "ten_a", keyId: "key_a", role: "service", scopes: [], models: null, tiers: null, features: null },
    feature: "support", timing: new ServerTiming(), original, request, redacted: true, stream: true, includeUsage: true,
    cache: "miss", cacheSimilarity: null, decisions: { route: { tier: "frontier", complexity: 0.6 } }, headers: {}, attempts: [], answeredBy: registry.model("frontier-sim") ?? null,
  };
}

/** `answer: null`: every call gets a 503. `onCall` runs as the call arrives, before it is answered. */
export function upstream(answer: string | null, onCall: () => Promise<void> = async () => undefined): { calls: unknown[]; fetch: typeof fetch } {
  const calls: unknown[] = [];
  return {
    calls,
    fetch: async (_input, init) => {
      calls.push(JSON.parse(String(init?.body)));
      await onCall();
      if (answer === null) return new Response("down", { status: 503 });
      const body = { id: "c1", object: "chat.completion", created: 1, model: "small-sim", choices: [{ index: 0, message: { role: "assistant", content: answer }, finish_reason: "stop" }], usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 } };
      return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
    },
  };
}

export const run = (f: typeof fetch) => ({ bindings: {}, breaker, fetch: f, backoff: { baseMs: 1, capMs: 1 } });

/** An output policy with nothing to say (shadow-tier-output-policy.test.ts tests the real one). */
export const keep = (text: string): string => text;
