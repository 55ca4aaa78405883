import { describe, expect, it } from "vitest";
import { unitDraw } from "../../../evaluator/src/judge/config";
import { registryFor } from "../config/registry-loader";
import type { BreakerClient } from "../router/attempts/circuit-breaker";
import { RouterSettingsSchema } from "../router/settings";
import { ServerTiming } from "../telemetry/server-timing";
import { buildChatEvent, type ExchangeResult } from "./build-event";
import type { ChatExchange } from "./exchange";
import { planShadow, runShadow, shadowAfterServed, shadowDraw, shadowRate, type ShadowPlan } from "./shadow-small";

const registry = registryFor({ MODEL_REGISTRY: "local", SIMULATOR_URL: "http://127.0.0.1:9" });
const breaker: BreakerClient = { admit: async () => "closed", report: async () => undefined };
const settings = (extra: Record<string, unknown> = {}) => RouterSettingsSchema.parse(extra);
const limits = { models: null, tiers: null };
const auto = { kind: "auto" } as const;

function exchange(requestId = "req_shadow_1"): ChatExchange {
  // The client wrote a real address; every later stage (and so the shadow) sees only the placeholder.
  const original = { model: "auto", messages: [{ role: "user" as const, content: "Mail ana.lopez@example.com the refund policy." }], stream: true, stream_options: { include_usage: true } };
  const request = { ...original, messages: [{ role: "user" as const, content: "Mail <EMAIL_ADDRESS_1> the refund policy." }] };
  return {
    requestId, clientRequestId: "client-7", receivedAt: 1_000,
    auth: { tenantId: "ten_a", keyId: "key_a", role: "service", scopes: [], models: null, tiers: null, features: null },
    feature: "support", timing: new ServerTiming(), original, request, stream: true, includeUsage: true,
    cache: "miss", cacheSimilarity: null, decisions: { route: { tier: "frontier", complexity: 0.6 } }, headers: {}, attempts: [], answeredBy: registry.model("frontier-sim") ?? null,
  };
}

function upstream(answer: string | null): { calls: unknown[]; fetch: typeof fetch } {
  const calls: unknown[] = [];
  return {
    calls,
    fetch: async (_input, init) => {
      calls.push(JSON.parse(String(init?.body)));
      if (answer === null) return new Response("down", { status: 503 });
      const body = { id: "c1", object: "chat.completion", created: 1, model: "small-sim", choices: [{ index: 0, message: { role: "assistant", content: answer }, finish_reason: "stop" }], usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 } };
      return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
    },
  };
}

const run = (f: typeof fetch) => ({ bindings: {}, breaker, fetch: f, backoff: { baseMs: 1, capMs: 1 } });

describe("shadow small-tier sample: who gets one", () => {
  it("draws like the evaluator's sampling, so judged and kept traces cover every shadow", () => {
    for (const id of ["req_a", "req_b", "3f0c9a"]) expect(shadowDraw(id)).toBe(unitDraw(id));
  });

  it("takes the tenant's rate over the deployment's, 0 opting out; an unset or bad var means off", () => {
    expect(shadowRate(settings(), "0.02")).toBe(0.02);
    expect(shadowRate(settings({ shadowSmallRate: 0 }), "0.02")).toBe(0);
    expect(shadowRate(settings({ shadowSmallRate: 0.5 }), undefined)).toBe(0.5);
    expect(shadowRate(settings(), undefined)).toBe(0);
    expect(shadowRate(settings(), "lots")).toBe(0);
    expect(() => settings({ shadowSmallRate: 1.5 })).toThrow();
  });

  it("plans a shadow on the cheapest tier only for drawn, router-decided requests a key may send there", () => {
    const ex = exchange();
    const plan = planShadow(ex, auto, settings({ shadowSmallRate: 1 }), undefined, registry, limits);
    expect(plan?.tier).toBe("small");
    expect(plan?.attempts.every((a) => a.tier === "small")).toBe(true);
    expect(planShadow(ex, auto, settings({ shadowSmallRate: 0 }), "1", registry, limits)).toBeNull();
    expect(planShadow(ex, auto, settings({ shadowSmallRate: 1, enabled: false }), undefined, registry, limits)).toBeNull();
    expect(planShadow(ex, { kind: "tier", tier: "frontier" }, settings({ shadowSmallRate: 1 }), undefined, registry, limits)).toBeNull();
    expect(planShadow(ex, auto, settings({ shadowSmallRate: 1 }), undefined, registry, { models: null, tiers: ["frontier"] })).toBeNull();
    // A rate below the request's draw leaves it alone.
    expect(planShadow(ex, auto, settings({ shadowSmallRate: shadowDraw(ex.requestId) }), undefined, registry, limits)).toBeNull();
  });

  it("starts only after a 200 answer from another tier was published, never for a small-tier or failed answer", () => {
    const plan: ShadowPlan = { tier: "small", attempts: [] };
    const published: ExchangeResult[] = [];
    const started: ShadowPlan[] = [];
    const ok: ExchangeResult = { status: 200, errorCode: null, usage: null, costUsd: 0.01, completedAt: 2_000, ttftMs: null, answer: "Done." };
    const frontier = exchange();
    shadowAfterServed(frontier, plan, (r) => published.push(r), (p) => started.push(p))(ok);
    expect(published).toHaveLength(1);
    expect(started).toEqual([plan]);
    const small = { ...exchange(), answeredBy: registry.model("small-sim") ?? null };
    shadowAfterServed(small, plan, (r) => published.push(r), (p) => started.push(p))(ok);
    shadowAfterServed(frontier, plan, (r) => published.push(r), (p) => started.push(p))({ ...ok, status: 502, answer: null });
    expect(published).toHaveLength(3);
    expect(started).toHaveLength(1);
  });
});

describe("shadow small-tier sample: the call", () => {
  it("asks the small tier the redacted request, whole, and publishes a billed <id>:shadow event pointing at its request", async () => {
    const ex = exchange();
    const plan = planShadow(ex, auto, settings({ shadowSmallRate: 1 }), undefined, registry, limits) as ShadowPlan;
    const up = upstream("I will send <EMAIL_ADDRESS_1> the policy.");
    const out: Array<{ shadowEx: ChatExchange; r: ExchangeResult }> = [];
    await runShadow(ex, plan, registry, run(up.fetch), (shadowEx, r) => out.push({ shadowEx, r }), () => 5_000);
    expect(JSON.stringify(up.calls)).not.toContain("ana.lopez");
    expect(up.calls[0]).toMatchObject({ messages: [{ role: "user", content: "Mail <EMAIL_ADDRESS_1> the refund policy." }], stream: false });
    expect(up.calls[0]).not.toHaveProperty("stream_options");
    expect(out).toHaveLength(1);
    const event = buildChatEvent(out[0]!.shadowEx, out[0]!.r);
    expect(event).toMatchObject({ requestId: "req_shadow_1:shadow", tenantId: "ten_a", feature: "support", tier: "small", status: 200, stream: false, decisions: { shadowOf: "req_shadow_1" } });
    expect(event.costUsd).toBeGreaterThan(0);
    expect(event.content?.response).toBe("I will send <EMAIL_ADDRESS_1> the policy.");
    expect(JSON.stringify(event)).not.toContain("ana.lopez");
    // The served request's trace facts stay its own.
    expect(ex.decisions).toEqual({ route: { tier: "frontier", complexity: 0.6 } });
  });

  it("publishes nothing when the small tier fails (no answer, no label, nothing billed)", async () => {
    const ex = exchange();
    const plan = planShadow(ex, auto, settings({ shadowSmallRate: 1 }), undefined, registry, limits) as ShadowPlan;
    const out: unknown[] = [];
    await expect(runShadow(ex, plan, registry, run(upstream(null).fetch), () => out.push(1))).resolves.toBeUndefined();
    expect(out).toEqual([]);
  });
});
