// The trainer: deterministic, exports a file the reference reads back exactly, learns from feedback.
import { describe, expect, it } from "vitest";
import type { RouterTrainingExample } from "../../shared/schemas/router-training-example";
import { featurize } from "../../workers/gateway/src/router/features/featurize";
import { assembleCorpus } from "./corpus/assemble";
import { forward, toSparse } from "./lib/mlp";
import { exportOnnx, importOnnx } from "./lib/onnx-export";
import { trainRouter } from "./lib/train-router";

const corpus = assembleCorpus(7).filter((_, i) => i % 8 === 0);
const opts = { seed: 3, epochs: 6, hidden: 8 };
const complexityOf = (w: ReturnType<typeof trainRouter>, prompt: string): number => forward(w, toSparse(featurize({ prompt }))).complexity;

describe("router trainer", () => {
  it("is deterministic for a seed and round-trips through ONNX bytes", () => {
    const a = exportOnnx(trainRouter(corpus, opts), "t");
    const b = exportOnnx(trainRouter(corpus, opts), "t");
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const w = importOnnx(a);
    expect(w.hidden).toBe(8);
    expect(w.classes).toBe(12);
  });

  it("learns from feedback: judged small-tier failures raise the complexity of similar prompts", () => {
    const haiku = (t: string): string => `Write a haiku about ${t}.`;
    const feedback: RouterTrainingExample[] = ["rain", "trains", "salt", "mountains", "wolves", "clocks", "paper", "ice"].map((t) => ({ prompt: haiku(t), small_ok: false, source: "feedback", weight: 5 }));
    const before = complexityOf(trainRouter(corpus, opts), haiku("lanterns"));
    const after = complexityOf(trainRouter([...corpus, ...feedback], opts), haiku("lanterns"));
    expect(after).toBeGreaterThan(before + 0.2);
  });
});
