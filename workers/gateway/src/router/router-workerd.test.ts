// Runs the shipped router model inside workerd (Miniflare API, the bundle built by esbuild as
// wrangler would), as the gateway serves it and through onnxruntime-web, and checks it against
// the Node reference that reads the same .onnx file.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forward, toSparse } from "../../../../scripts/router/lib/mlp";
import { importOnnx } from "../../../../scripts/router/lib/onnx-export";
import { bundleAndStart, type BundledWorker } from "../onnx/testing/bundle-worker";
import { featurize } from "./features/featurize";
import manifest from "./model/manifest.json";

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const PROMPTS = [
  "hi",
  "What is the capital of Kenya?",
  "Prove that there are infinitely many primes of the form 4k + 3.",
  "Ein Zug fährt um 8 Uhr ab und fährt 120 km/h. Wann kommt er nach 300 km an?",
  "```python\ndef f(x):\n    return x +\n```\nWhy does this fail?",
];

describe("router model inside workerd", () => {
  let worker: BundledWorker;
  beforeAll(async () => {
    worker = await bundleAndStart(here("./testing/router-test-worker.ts"));
  });
  afterAll(async () => worker?.dispose());

  it("returns the same intent probabilities and complexity as the TS reference", async () => {
    const res = await worker.mf.dispatchFetch("http://router.test/scores", { method: "POST", body: JSON.stringify({ prompts: PROMPTS }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { version: string; out: { intentProbs: number[]; complexity: number }[] };
    expect(body.version).toBe(manifest.version);
    const reference = importOnnx(readFileSync(here("./model/router.onnx")));
    PROMPTS.forEach((prompt, i) => {
      const ref = forward(reference, toSparse(featurize({ prompt })));
      const got = body.out[i]!;
      expect(got.complexity).toBeCloseTo(ref.complexity, 5);
      got.intentProbs.forEach((p, c) => expect(p).toBeCloseTo(ref.probs[c]!, 5));
    });
    // The model must separate a greeting from a proof, not return a constant. complexity is a
    // calibrated P(small worse), about 0.1-0.4 on real prompts, so the gap is on that scale.
    expect(body.out[2]!.complexity - body.out[0]!.complexity).toBeGreaterThan(0.08);
  });

  it("serves two sessions created concurrently through the shared ORT loader (onnx/ort-session.ts)", async () => {
    const res = await worker.mf.dispatchFetch("http://router.test/two-sessions", { method: "POST", body: JSON.stringify({ prompts: PROMPTS.slice(0, 3) }) });
    expect(res.status).toBe(200);
    const { out } = (await res.json()) as { out: [number, number][] };
    expect(out).toHaveLength(3);
    for (const [a, b] of out) expect(a).toBeCloseTo(b, 6);
  });
});
