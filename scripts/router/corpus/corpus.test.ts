import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { INTENTS, RouterTrainingExampleSchema } from "../../../shared/schemas/router-training-example";
import { assembleCorpus } from "./assemble";

const lines = (p: string) => readFileSync(p, "utf8").trim().split("\n").map((l) => RouterTrainingExampleSchema.parse(JSON.parse(l)));

describe("shipped corpus", () => {
  it("is reproducible from the generator", () => {
    const generated = assembleCorpus(7).map((r) => r.prompt + (r.context ?? ""));
    const shipped = [...lines("data/router/corpus.jsonl"), ...lines("data/router/heldout.jsonl")].map((r) => r.prompt + (r.context ?? ""));
    expect(new Set(shipped)).toEqual(new Set(generated));
  });

  it("covers every intent, easy and hard, in four languages, with a disjoint held-out split", () => {
    const train = lines("data/router/corpus.jsonl");
    const held = lines("data/router/heldout.jsonl");
    for (const intent of INTENTS) {
      const rows = train.filter((r) => r.intent === intent);
      expect(rows.some((r) => (r.complexity ?? 1) < 0.2), intent).toBe(true);
      expect(rows.some((r) => (r.complexity ?? 0) >= 0.3), intent).toBe(true);
    }
    expect(new Set(train.map((r) => r.language))).toEqual(new Set(["en", "es", "fr", "de"]));
    const heldPrompts = new Set(held.map((r) => r.prompt));
    expect(train.some((r) => heldPrompts.has(r.prompt))).toBe(false);
    expect(held.length / (held.length + train.length)).toBeGreaterThan(0.1);
  });
});
