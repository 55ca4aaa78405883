import { describe, expect, it } from "vitest";
import type { AuthContext } from "../app-env";
import { defaultEmbeddingModel } from "./embedding-model";
import { ModelRegistry, type RegistryInput } from "./model-registry";

const model = (id: string, tier: string, embeddings: boolean) => ({
  id, tier, upstreamModel: id, upstream: { kind: "openai-compatible" as const, baseUrl: "http://127.0.0.1:1/v1" },
  pricing: { kind: "per-token" as const, inputPer1M: 1, outputPer1M: 1 }, contextWindow: 8000, capabilities: { embeddings },
});
const input: RegistryInput = {
  tiers: [{ id: "small", rank: 0, selfHosted: true }, { id: "frontier", rank: 1, selfHosted: false }],
  defaultTier: "small",
  counterfactualModel: "chat-big",
  models: [model("embed-a", "small", true), model("chat-big", "frontier", false), model("embed-b", "frontier", true)],
  embeddingModel: "embed-a",
};
const auth = (over: Partial<AuthContext> = {}): AuthContext => ({ tenantId: "t", keyId: "k", role: "service", scopes: [], models: null, tiers: null, features: null, ...over });

describe("defaultEmbeddingModel (what model \"auto\" embeds with)", () => {
  const registry = new ModelRegistry(input);
  it("is the registry's embeddingModel when the key may use it", () => {
    expect(defaultEmbeddingModel(registry, auth())?.id).toBe("embed-a");
  });
  it("else the first embeddings model the key may use, never a chat-only one", () => {
    expect(defaultEmbeddingModel(registry, auth({ tiers: ["frontier"] }))?.id).toBe("embed-b");
    expect(defaultEmbeddingModel(registry, auth({ models: ["chat-big"] }))).toBeUndefined();
  });
  it("falls back to any embeddings model when the registry names none", () => {
    const { embeddingModel: _omit, ...rest } = input;
    expect(defaultEmbeddingModel(new ModelRegistry(rest), auth())?.id).toBe("embed-a");
  });
});
