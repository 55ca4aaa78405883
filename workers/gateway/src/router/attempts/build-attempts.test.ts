import { describe, expect, it } from "vitest";
import { ModelRegistry } from "../../config/model-registry";
import { buildAttempts } from "./build-attempts";

const upstream = { kind: "openai-compatible" as const, baseUrl: "http://127.0.0.1:1/v1" };
const price = { kind: "per-token" as const, inputPer1M: 1, outputPer1M: 1 };
const model = (id: string, tier: string, maxOutputTokens = 4096) => ({ id, tier, upstreamModel: id, upstream, pricing: price, contextWindow: 8192, maxOutputTokens });
const registry = new ModelRegistry({
  tiers: [
    { id: "small", rank: 0, selfHosted: true },
    { id: "medium", rank: 1, selfHosted: true },
    { id: "frontier", rank: 2, selfHosted: false },
  ],
  defaultTier: "small",
  counterfactualModel: "f1",
  models: [model("s1", "small"), model("s2", "small", 256), model("m1", "medium"), model("f1", "frontier")],
});
const ids = (xs: Array<{ model: { id: string } }>) => xs.map((a) => a.model.id);
const open = { models: null, tiers: null };

describe("buildAttempts", () => {
  it("tries the chosen tier, then stronger tiers, then weaker ones", () => {
    expect(ids(buildAttempts(registry, { tier: "small" }, open))).toEqual(["s1", "s2", "m1", "f1"]);
    expect(ids(buildAttempts(registry, { tier: "medium" }, open))).toEqual(["m1", "f1", "s1", "s2"]);
  });

  it("keeps an explicit model first and stays in its tier unless allowed to leave", () => {
    const s2 = registry.model("s2");
    expect(ids(buildAttempts(registry, { model: s2! }, open))).toEqual(["s2", "s1"]);
    expect(ids(buildAttempts(registry, { model: s2! }, { ...open, crossTierForExplicitModel: true }))).toEqual(["s2", "s1", "m1", "f1"]);
  });

  it("applies the key's allow-lists and the request's needs", () => {
    expect(ids(buildAttempts(registry, { tier: "small" }, { models: null, tiers: ["small", "frontier"] }))).toEqual(["s1", "s2", "f1"]);
    expect(ids(buildAttempts(registry, { tier: "small" }, { ...open, accepts: (m) => m.maxOutputTokens >= 1_000 }))).toEqual(["s1", "m1", "f1"]);
  });
});
