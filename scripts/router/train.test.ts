// The trainer: deterministic, exports a file the reference reads back exactly, composes the
// calibrated outcome model into the graph, learns from feedback. Outcome rows come from the
// project's own fixtures (scripts/router/outcomes/fixtures), never from the shared sets.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { RouterTrainingExample } from "../../shared/schemas/router-training-example";
import { featurize } from "../../workers/gateway/src/router/features/featurize";
import { assembleCorpus } from "./corpus/assemble";
import { linearLogit } from "./lib/complexity-model";
import { featurizeOutcomes, lodoLogits, lodoPlatt } from "./lib/lodo";
import { forward, toSparse } from "./lib/mlp";
import { exportOnnx, importOnnx } from "./lib/onnx-export";
import { complexityInputs, trainCorpusModel, trainRouter } from "./lib/train-router";
import { ROUTING_LABELS } from "./outcomes/labels";
import { loadRoutingSets } from "./outcomes/load-routing-sets";

const corpus = assembleCorpus(7).filter((_, i) => i % 8 === 0);
const opts = { seed: 3, epochs: 6, hidden: 8 };
const outcomes = featurizeOutcomes(loadRoutingSets(fileURLToPath(new URL("./outcomes/fixtures/", import.meta.url)), ROUTING_LABELS).rows);
const corpusModel = trainCorpusModel(corpus, opts);
const cal = { a: 0.8, b: -1.2 };
const complexityOf = (w: ReturnType<typeof trainRouter>, prompt: string): number => forward(w.weights, toSparse(featurize({ prompt }))).complexity;

describe("router trainer", () => {
  it("is deterministic for a seed and round-trips through ONNX bytes", () => {
    const a = exportOnnx(trainRouter(corpus, opts, outcomes, cal).weights, "t");
    const b = exportOnnx(trainRouter(corpus, opts, outcomes, cal).weights, "t");
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const w = importOnnx(a);
    expect(w.hidden).toBe(8);
    expect(w.classes).toBe(12);
  });

  it("ships the calibrated outcome model: graph complexity = sigmoid(a · linear model + b)", () => {
    const t = trainRouter(corpus, opts, outcomes, cal, corpusModel);
    for (const x of outcomes.x.slice(0, 12)) {
      const expected = 1 / (1 + Math.exp(-(cal.a * linearLogit(t.complexity, complexityInputs(corpusModel, x)) + cal.b)));
      expect(forward(t.weights, x).complexity).toBeCloseTo(expected, 5);
    }
  });

  it("calibrates on held-out-set logits of the Mixtral/GPT-4 rows only", () => {
    const inputs = outcomes.x.map((x) => complexityInputs(corpusModel, x));
    const z = lodoLogits(outcomes.rows, inputs);
    expect(z.every(Number.isFinite)).toBe(true);
    const p = lodoPlatt(outcomes.rows, z);
    expect(Number.isFinite(p.a) && Number.isFinite(p.b)).toBe(true);
    const labelsOnly = outcomes.rows.map((r) => (r.pair === "mixtral-gpt4" ? r : { ...r, weakOk: true }));
    expect(lodoPlatt(labelsOnly, z)).toEqual(p); // the LLMRouter pair does not move the calibration
  });

  it("learns from feedback: judged small-tier failures raise the complexity of similar prompts only", () => {
    const haiku = (t: string): string => `Write a haiku about ${t}.`;
    const feedback: RouterTrainingExample[] = ["rain", "trains", "salt", "mountains", "wolves", "clocks", "paper", "ice"].map((t) => ({ prompt: haiku(t), small_ok: false, source: "feedback", weight: 5 }));
    const before = trainRouter(corpus, opts, outcomes, cal, corpusModel);
    const after = trainRouter([...corpus, ...feedback], opts, outcomes, cal, corpusModel);
    expect(complexityOf(after, haiku("lanterns"))).toBeGreaterThan(complexityOf(before, haiku("lanterns")) + 0.2);
    const unrelated = "What is the capital of Portugal?";
    expect(Math.abs(complexityOf(after, unrelated) - complexityOf(before, unrelated))).toBeLessThan(0.05);
  });
});
