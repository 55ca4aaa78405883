import { describe, expect, it } from "vitest";
import { ModelRegistry, type RegistryInput } from "./model-registry";
import { validateShippedRegistries, registryFor } from "./registry-loader";

const base: RegistryInput = {
  tiers: [
    { id: "small", rank: 0, selfHosted: true },
    { id: "frontier", rank: 1, selfHosted: false },
  ],
  defaultTier: "small",
  counterfactualModel: "big",
  models: [
    { id: "tiny", tier: "small", upstreamModel: "t", upstream: { kind: "openai-compatible", baseUrl: "http://127.0.0.1:1/v1" }, pricing: { kind: "gpu-hour", usdPerGpuHour: 1, tokensPerSecond: 100 }, contextWindow: 8000 },
    { id: "big", tier: "frontier", upstreamModel: "b", upstream: { kind: "openai-compatible", baseUrl: "http://127.0.0.1:2/v1" }, pricing: { kind: "per-token", inputPer1M: 1, outputPer1M: 2 }, contextWindow: 8000 },
  ],
};

describe("model registry", () => {
  it("validates every shipped registry file", () => {
    expect(validateShippedRegistries()).toEqual(["local", "production"]);
  });

  it("names the offending field of an invalid entry", () => {
    const bad = structuredClone(base) as { models: Array<Record<string, unknown>> };
    (bad.models[1] as { pricing: unknown }).pricing = { kind: "per-token", inputPer1M: -1, outputPer1M: 2 };
    expect(() => new ModelRegistry(bad)).toThrow(/models\.1\.pricing\.inputPer1M/);
    expect(() => new ModelRegistry({ ...base, defaultTier: "medium" })).toThrow(/defaultTier: unknown tier "medium"/);
  });

  it("embeddingModel must name a model with capabilities.embeddings", () => {
    expect(() => new ModelRegistry({ ...base, embeddingModel: "tiny" })).toThrow(/embeddingModel: "tiny" is not a model with capabilities.embeddings/);
    expect(() => new ModelRegistry({ ...base, embeddingModel: "nope" })).toThrow(/embeddingModel/);
    const models = [{ ...base.models[0]!, capabilities: { embeddings: true } }, base.models[1]!];
    expect(new ModelRegistry({ ...base, models, embeddingModel: "tiny" }).embeddingModel?.id).toBe("tiny");
    expect(new ModelRegistry(base).embeddingModel).toBeUndefined();
  });

  it("allows the continue_final_message resume only on OpenAI-wire upstreams; the default is none", () => {
    expect(new ModelRegistry(base).model("tiny")?.capabilities.resume).toBe("none");
    const resuming = [{ ...base.models[0]!, capabilities: { resume: "continue_final_message" as const } }, base.models[1]!];
    expect(new ModelRegistry({ ...base, models: resuming }).model("tiny")?.capabilities).toEqual({ tools: true, jsonSchema: true, embeddings: false, resume: "continue_final_message" });
    const anthropic = { ...base.models[1]!, upstream: { kind: "anthropic" as const }, credential: "ANTHROPIC_API_KEY", capabilities: { resume: "continue_final_message" as const } };
    expect(() => new ModelRegistry({ ...base, models: [base.models[0]!, anthropic] })).toThrow(/models\.1\.capabilities\.resume: continue_final_message needs an OpenAI-wire upstream/);
  });

  it("adds a model with one entry and orders fallback tiers up then down", () => {
    const extra = { ...base.models[0]!, id: "tiny-2" };
    const reg = new ModelRegistry({ ...base, models: [...base.models, extra] });
    expect(reg.modelsInTier("small").map((m) => m.id)).toEqual(["tiny", "tiny-2"]);
    expect(reg.fallbackTiers("frontier").map((t) => t.id)).toEqual(["frontier", "small"]);
    expect(reg.fallbackTiers("small").map((t) => t.id)).toEqual(["small", "frontier"]);
  });

  it("resolves {env:NAME} placeholders from Worker variables", () => {
    const reg = registryFor({ MODEL_REGISTRY: "local", SIMULATOR_URL: "http://127.0.0.1:9999" });
    const small = reg.model("small-sim");
    expect(small?.upstream).toMatchObject({ baseUrl: "http://127.0.0.1:9999/v1" });
  });
});
