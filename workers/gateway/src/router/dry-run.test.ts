// Dry-run logic for POST /v1/route against the shipped model (TS reference backend in Node).
import { describe, expect, it } from "vitest";
import { referenceBackend } from "../../../../scripts/router/lib/reference-backend";
import { routeDryRun, RouteDryRunBodySchema } from "./dry-run";
import manifest from "./model/manifest.json";
import { buildRouter } from "./router";

const router = buildRouter({ backend: referenceBackend(), modelVersion: manifest.version }, { tierModels: { small: "llama-8b", frontier: "gpt-big" } });
const body = (content: string, extra: Record<string, unknown> = {}) => RouteDryRunBodySchema.parse({ model: "auto", messages: [{ role: "user", content }], ...extra });

describe("routeDryRun", () => {
  it("sends a greeting to the small tier and a proof to the frontier, with continuous complexity", async () => {
    const easy = await routeDryRun(body("hi there, how are you?"), router);
    const hard = await routeDryRun(body("Prove that every finite integral domain is a field, and give a counterexample for infinite ones."), router);
    expect(easy).toMatchObject({ tier: "small", model: "llama-8b", modelVersion: manifest.version });
    expect(hard).toMatchObject({ tier: "frontier", model: "gpt-big" });
    expect(hard.complexity).toBeGreaterThan(easy.complexity);
    expect(easy.complexity).toBeGreaterThan(0);
    expect(easy.complexity).toBeLessThan(1);
  });

  it("reads the conversation: the last user turn is classified", async () => {
    const r = await routeDryRun(RouteDryRunBodySchema.parse({ model: "auto", messages: [{ role: "system", content: "You are helpful." }, { role: "user", content: "hi" }, { role: "assistant", content: "Hello!" }, { role: "user", content: "Implement a lock-free concurrent queue in C++ and prove it is linearizable." }] }), router);
    expect(r.intent).toBe("coding");
    expect(r.tier).toBe("frontier");
  });

  it("accepts a good draft and escalates a refused one", async () => {
    const accepted = await routeDryRun(body("What is the capital of Italy?", { draft: { model: "llama-8b", content: "Rome." } }), router);
    expect(accepted).toMatchObject({ tier: "small", reason: "cascade_draft_accepted", draft: { accepted: true } });
    const rejected = await routeDryRun(body("What is the capital of Italy?", { draft: { model: "llama-8b", content: "I'm sorry, but I can't help with that." } }), router);
    expect(rejected).toMatchObject({ tier: "frontier", escalate: true, draft: { accepted: false } });
    expect(rejected.reason).toContain("refusal");
  });

  it("judges a draft against the tenant's verifier threshold", async () => {
    const q = body("A van carries 9 boxes of 12 jars. How many jars?", { draft: { model: "llama-8b", content: "9 x 12 = 108 jars.\n#### 108" } });
    const strict = buildRouter({ backend: referenceBackend(), modelVersion: manifest.version }, { cascadeThreshold: 0 });
    const lenient = buildRouter({ backend: referenceBackend(), modelVersion: manifest.version }, { cascadeThreshold: 1 });
    expect((await routeDryRun(q, strict)).draft).toMatchObject({ accepted: false, threshold: 0 });
    expect((await routeDryRun(q, lenient)).draft).toMatchObject({ accepted: true, threshold: 1 });
  });

  it("validates the body with zod", () => {
    expect(RouteDryRunBodySchema.safeParse({ model: "auto", messages: [] }).success).toBe(false);
    expect(RouteDryRunBodySchema.safeParse({ model: "auto", messages: [{ role: "user", content: "x" }], draft: { content: "y" } }).success).toBe(false);
  });
});
