import { describe, expect, it } from "vitest";
import { GuardrailSettingsSchema } from "../guardrails/settings";
import { RouterSettingsSchema } from "../router/settings";
import { buildChatEvent, type ExchangeResult } from "./build-event";
import type { ChatExchange } from "./exchange";
import { planShadows, runShadow, type ShadowAdmission, type ShadowPlan } from "./shadow-tier";
import { testHashKey } from "../guardrails/testing/hash-key";
import { applyInputGuardrails } from "./stages/guardrails-stage";
import { exchange, registry, run, upstream } from "./testing/shadow-fixtures";

// A shadow's answer goes to the queue, D1 traces, the judges and the exports: the tenant's output
// policy must hold for it as it holds for a served answer (complete-response.ts).
const granted: ShadowAdmission = async () => ({ ok: true, settle: async () => undefined });
// The request's own address is redacted on the way in (its placeholder comes back); IP addresses
// the model writes on its own meet the policy under test.
const guardrails = (ip: "block" | "redact") => GuardrailSettingsSchema.parse({ pii: { scanOutput: true, entities: { IP_ADDRESS: ip } }, injection: { enabled: false } });

async function shadowOf(answer: Parameters<typeof upstream>[0] | typeof fetch, ip: "block" | "redact"): Promise<{ r: ExchangeResult; shadowEx: ChatExchange }> {
  const ex = exchange();
  const filter = await applyInputGuardrails(ex, guardrails(ip), testHashKey(ex.auth.tenantId));
  const plan = planShadows(ex, { kind: "auto" }, RouterSettingsSchema.parse({ shadowSmallRate: 1 }), undefined, registry, { models: null, tiers: null })?.small as ShadowPlan;
  const out: Array<{ r: ExchangeResult; shadowEx: ChatExchange }> = [];
  const f = typeof answer === "function" ? answer : upstream(answer).fetch;
  await runShadow(ex, plan, registry, run(f), (shadowEx, r) => out.push({ shadowEx, r }), granted, filter.policy);
  expect(out).toHaveLength(1);
  return out[0]!;
}

/** An upstream whose answer is a tool call carrying `args`. */
const toolCall = (args: string): typeof fetch => async () => {
  const message = { role: "assistant", content: null, tool_calls: [{ id: "t1", type: "function", function: { name: "send_mail", arguments: args } }] };
  const body = { id: "c1", object: "chat.completion", created: 1, model: "small-sim", choices: [{ index: 0, message, finish_reason: "tool_calls" }], usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 } };
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
};

describe("shadow calls: the tenant's output policy", () => {
  it("withholds a shadow answer the policy blocks: billed, answer null, nothing of it in the event", async () => {
    const { r, shadowEx } = await shadowOf("Ask the desk at the refunds host at 203.0.113.77 about <EMAIL_ADDRESS_1>.", "block");
    expect(r).toMatchObject({ status: 400, errorCode: "output_blocked", answer: null });
    expect(r.costUsd).toBeGreaterThan(0);
    const event = buildChatEvent(shadowEx, r);
    expect(event.content).toBeUndefined();
    expect(JSON.stringify(event)).not.toContain("203.0.113.77");
  });

  it("withholds it when the blocked entity is in a tool call's arguments", async () => {
    const { r } = await shadowOf(toolCall(JSON.stringify({ host: "203.0.113.77" })), "block");
    expect(r).toMatchObject({ errorCode: "output_blocked", answer: null });
  });

  it("publishes the policy's redacted form (the user's own placeholders kept, never restored)", async () => {
    const { r, shadowEx } = await shadowOf("Ask the desk at the refunds host at 203.0.113.77 about <EMAIL_ADDRESS_1>.", "redact");
    expect(r).toMatchObject({ status: 200, errorCode: null, answer: "Ask the desk at the refunds host at <IP_ADDRESS_REDACTED> about <EMAIL_ADDRESS_1>." });
    const event = JSON.stringify(buildChatEvent(shadowEx, r));
    expect(event).not.toContain("203.0.113.77");
    expect(event).not.toContain("ana.lopez");
  });

  it("leaves an answer the policy has nothing to say about as it came", async () => {
    const { r } = await shadowOf("I will send <EMAIL_ADDRESS_1> the refund policy today.", "block");
    expect(r).toMatchObject({ status: 200, answer: "I will send <EMAIL_ADDRESS_1> the refund policy today." });
  });
});
