import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";

let stack: Stack;
let service: string;
let admin: string;
let tenantId: string;

const EASY = "hi there!";
const HARD =
  "Prove that there are infinitely many primes p such that p ≡ 3 (mod 4), then derive an efficient algorithm to find the 10,000th such prime and analyse its time complexity step by step.";

beforeAll(async () => {
  // A 300 ms settings cache instead of production's 5 s: the cascade test's settings change is waited out in 0.5 s.
  stack = await startStack({ vars: { SETTINGS_TTL_MS: "300" } });
  ({ key: service, tenantId } = await seedKey(stack, { name: "router-tenant" }));
  ({ key: admin } = await seedKey(stack, { role: "admin", tenantId }));
});
afterAll(async () => stack?.close());

const chat = (content: string, headers: Record<string, string> = {}) =>
  stack.fetch("/v1/chat/completions", {
    method: "POST",
    headers: bearer(service, { "cache-control": "no-cache, no-store", ...headers }),
    body: JSON.stringify({ model: "auto", messages: [{ role: "user", content }] }),
  });

describe("learned router through workerd", () => {
  it("routes auto requests by the ONNX model and explains the decision in headers", async () => {
    const easy = await chat(EASY);
    const hard = await chat(HARD);
    expect(easy.headers.get("x-route-tier")).toBe("small");
    expect(easy.headers.get("x-upstream")).toBe("openai-compatible:small-sim");
    expect(hard.headers.get("x-route-tier")).toBe("frontier");
    expect(hard.headers.get("x-upstream")).toBe("openai-compatible:frontier-sim");
    const [e, h] = [Number(easy.headers.get("x-route-complexity")), Number(hard.headers.get("x-route-complexity"))];
    expect(h).toBeGreaterThan(e);
    expect(easy.headers.get("x-route-reason")).toBe("complexity_below_threshold; band=0.1700 static");
  });

  it("answers POST /v1/route with a continuous complexity and no model call", async () => {
    const before = stack.sim.requests().length;
    const route = async (content: string) => {
      const res = await stack.fetch("/v1/route", { method: "POST", headers: bearer(service), body: JSON.stringify({ model: "auto", messages: [{ role: "user", content }] }) });
      expect(res.status).toBe(200);
      return (await res.json()) as { tier: string; model: string; intent: string; complexity: number; confidence: number; escalate: boolean; reason: string };
    };
    const a = await route(EASY);
    const b = await route(HARD);
    const c = await route("Summarize this paragraph in one sentence: the meeting moved to Tuesday because the room was booked.");
    expect(a).toMatchObject({ tier: "small", model: "small-sim" });
    expect(b).toMatchObject({ tier: "frontier", model: "frontier-sim" });
    for (const r of [a, b, c]) {
      expect(r.complexity).toBeGreaterThanOrEqual(0);
      expect(r.complexity).toBeLessThanOrEqual(1);
      expect(typeof r.intent).toBe("string");
    }
    expect(new Set([a.complexity, b.complexity, c.complexity]).size).toBe(3);
    expect(stack.sim.requests().length).toBe(before);
  });

  it("verifies a draft on /v1/route and rejects a refusal", async () => {
    const res = await stack.fetch("/v1/route", {
      method: "POST",
      headers: bearer(service),
      body: JSON.stringify({ model: "auto", messages: [{ role: "user", content: "What is 2 + 2?" }], draft: { model: "small-sim", content: "I'm sorry, but I can't help with that." } }),
    });
    const body = (await res.json()) as { escalate: boolean; reason: string; tier: string };
    expect(body.escalate).toBe(true);
    expect(body.tier).toBe("frontier");
    expect(body.reason).toMatch(/refusal/);
  });

  it("refuses on /v1/route a prompt no model can take, before any guardrail reads it (context_length_exceeded)", async () => {
    const content = "harbor lantern copper meadow ".repeat(40_000); // ~160k tokens, over every local window
    const res = await stack.fetch("/v1/route", { method: "POST", headers: bearer(service), body: JSON.stringify({ model: "auto", messages: [{ role: "user", content }] }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("context_length_exceeded");
  });

  it("in cascade mode escalates a draft that fails verification, and serves one that passes", async () => {
    const put = await stack.fetch(`/admin/v1/tenants/${tenantId}/settings`, { method: "PUT", headers: bearer(admin), body: JSON.stringify({ router: { cascade: true } }) });
    expect(put.status).toBe(200);
    await new Promise((r) => setTimeout(r, 500)); // settings are cached in the isolate (300 ms here)
    const refused = await chat("ECHO: I'm sorry, but I can't help with that request.");
    expect(refused.status).toBe(200);
    expect(refused.headers.get("x-cascade")).toMatch(/^escalated:.*refusal/);
    expect(refused.headers.get("x-upstream")).toBe("openai-compatible:frontier-sim");
    const fine = await chat("ECHO: The capital of Portugal is Lisbon.");
    expect(fine.headers.get("x-cascade")).toBe("accepted:small");
    expect(fine.headers.get("x-upstream")).toBe("openai-compatible:small-sim");
  });
});
