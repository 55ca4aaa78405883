import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ScoreBackend } from "./classify";
import { FEATURE_DIM } from "./features/featurize";
import manifest from "./model/manifest.json";
import { ortBackend, sparseFeeds } from "./ort-backend";
import { ROUTER_MODEL_IO } from "./model/manifest";

const model = readFileSync(new URL("./model/router.onnx", import.meta.url));
const fixed: ScoreBackend = async () => ({ intentProbs: new Float32Array(12).fill(1 / 12), complexity: 0.42 });

describe("ortBackend", () => {
  it("refuses a model trained with another feature spec, and the fallback keeps routing", async () => {
    const errors: unknown[] = [];
    const wrongSpec = { ...manifest, featureSpecHash: "0".repeat(64) };
    const b = ortBackend({ model, wasm: {} as WebAssembly.Module, manifest: wrongSpec, fallback: fixed, onError: (e) => errors.push(e) });
    expect((await b.backend(new Float32Array(FEATURE_DIM))).complexity).toBe(0.42);
    expect(String(errors[0] ?? "")).toMatch(/feature spec mismatch/);
    // Within the retry window ORT is not retried per request: the fallback answers directly.
    expect((await b.backend(new Float32Array(FEATURE_DIM))).complexity).toBe(0.42);
    expect(errors).toHaveLength(1);
    await expect(b.ready()).rejects.toThrow(/feature spec mismatch/);
  });

  it("validates the manifest", () => {
    expect(() => ortBackend({ model, wasm: {} as WebAssembly.Module, manifest: { name: "router" } })).toThrow();
  });
});

describe("sparseFeeds", () => {
  it("sends only the non-zero features, in index order, as the model's two inputs", () => {
    const x = new Float32Array(10);
    x[7] = 0.5;
    x[2] = -1;
    const feeds = sparseFeeds(x);
    expect(Array.from(feeds[ROUTER_MODEL_IO.index]!.data as Int32Array)).toEqual([2, 7]);
    expect(Array.from(feeds[ROUTER_MODEL_IO.value]!.data as Float32Array)).toEqual([-1, 0.5]);
    expect(feeds[ROUTER_MODEL_IO.value]!.dims).toEqual([1, 2]);
  });

  it("sends an all-zero vector as one zero-valued feature (the graph needs at least one)", () => {
    const feeds = sparseFeeds(new Float32Array(10));
    expect(Array.from(feeds[ROUTER_MODEL_IO.index]!.data as Int32Array)).toEqual([0]);
    expect(Array.from(feeds[ROUTER_MODEL_IO.value]!.data as Float32Array)).toEqual([0]);
  });
});
