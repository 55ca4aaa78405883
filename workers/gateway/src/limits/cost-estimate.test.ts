import { describe, expect, it } from "vitest";
import type { AuthContext } from "../app-env";
import { ModelRegistry } from "../config/model-registry";
import { cheapestAllowedTier, estimateCallCost } from "./cost-estimate";

const upstream = { kind: "openai-compatible", baseUrl: "http://sim.test/v1" };
const registry = new ModelRegistry({
  tiers: [{ id: "small", rank: 0, selfHosted: true }, { id: "frontier", rank: 1, selfHosted: false }],
  defaultTier: "small",
  counterfactualModel: "big",
  models: [
    { id: "little", tier: "small", upstreamModel: "l", upstream, pricing: { kind: "per-token", inputPer1M: 1, outputPer1M: 2 }, contextWindow: 8000, maxOutputTokens: 1000, capabilities: { embeddings: true } },
    { id: "big", aliases: ["frontier"], tier: "frontier", upstreamModel: "b", upstream, pricing: { kind: "per-token", inputPer1M: 10, outputPer1M: 100 }, contextWindow: 8000, maxOutputTokens: 4000 },
  ],
});
const auth = (over: Partial<AuthContext> = {}): AuthContext => ({ tenantId: "t", keyId: "k", role: "service", scopes: [], models: null, tiers: null, features: null, ...over });
const body = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: "user", content: "hi" }], ...extra });

describe("estimateCallCost (budget reservations)", () => {
  it("prices auto and a stronger tier's names at the strongest model, 256 output tokens by default", () => {
    // 400 chars -> 100 input tokens; big: 100 x $10/1M + 256 x $100/1M.
    const strongest = (100 * 10 + 256 * 100) / 1e6;
    expect(estimateCallCost(registry, auth(), "chat", body("auto"), 400).usd).toBeCloseTo(strongest, 12);
    expect(estimateCallCost(registry, auth(), "chat", body("frontier"), 400).usd).toBeCloseTo(strongest, 12);
    expect(estimateCallCost(registry, auth(), "chat", body("big"), 400).usd).toBeCloseTo(strongest, 12);
  });

  it("prices an explicit cheap model, a key limited to it, and the downgraded call at the cheap tier", () => {
    const cheap = (100 * 1 + 256 * 2) / 1e6;
    expect(estimateCallCost(registry, auth(), "chat", body("little"), 400).usd).toBeCloseTo(cheap, 12);
    expect(estimateCallCost(registry, auth({ tiers: ["small"] }), "chat", body("auto"), 400).usd).toBeCloseTo(cheap, 12);
    expect(estimateCallCost(registry, auth(), "chat", body("auto"), 400).downgradedUsd).toBeCloseTo(cheap, 12);
  });

  it("takes max_completion_tokens over max_tokens, clamped to each model's output limit; embeddings have no output", () => {
    const capped = estimateCallCost(registry, auth(), "chat", body("little", { max_tokens: 10, max_completion_tokens: 50_000 }), 400);
    expect(capped.usd).toBeCloseTo((100 * 1 + 1000 * 2) / 1e6, 12);
    expect(estimateCallCost(registry, auth(), "embeddings", { model: "little", input: "x" }, 400)).toEqual({ usd: 100 / 1e6, downgradedUsd: 100 / 1e6 });
  });

  it("finds the cheapest tier the key may use", () => {
    expect(cheapestAllowedTier(registry, auth())).toBe("small");
    expect(cheapestAllowedTier(registry, auth({ models: ["big"] }))).toBe("frontier");
    expect(cheapestAllowedTier(registry, auth({ tiers: [] }))).toBeNull();
  });
});
