import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { referenceBackend } from "../../../../scripts/router/lib/reference-backend";
import { FEATURE_DIM, featurize, featurizeSparse } from "./features/featurize";
import { tsBackend, tsModel } from "./ts-backend";

const bytes = readFileSync(new URL("./model/router.onnx", import.meta.url));

describe("tsBackend (ONNX initializers read without a protobuf library)", () => {
  it("matches the onnx-proto based reference", async () => {
    const ts = tsBackend(bytes);
    const ref = referenceBackend();
    for (const prompt of ["hi", "Prove Fermat's little theorem.", "Traduce al inglés: buenos días", "Write a SQL query for top 5 customers by revenue"]) {
      const x = featurize({ prompt });
      const [a, b] = await Promise.all([ts(x), ref(x)]);
      expect(a.complexity).toBeCloseTo(b.complexity, 6);
      a.intentProbs.forEach((p, i) => expect(p).toBeCloseTo(b.intentProbs[i]!, 6));
    }
  });

  it("scores featurizeSparse's entries exactly as the dense vector (bit-identical)", async () => {
    const { dense, sparse } = tsModel(bytes);
    for (const prompt of ["hi", "Prove Fermat's little theorem.", "Traduce al inglés: buenos días", "Write a SQL query for top 5 customers by revenue", ""]) {
      const [a, b] = await Promise.all([dense(featurize({ prompt })), sparse(featurizeSparse({ prompt }))]);
      expect(b.complexity).toBe(a.complexity);
      expect([...b.intentProbs]).toEqual([...a.intentProbs]);
    }
    await expect(sparse({ index: Int32Array.of(FEATURE_DIM), value: Float32Array.of(1) })).rejects.toThrow(/outside/);
  });

  it("rejects a feature vector of the wrong size and a model without the router's tensors", async () => {
    await expect(tsBackend(bytes)(new Float32Array(3))).rejects.toThrow(new RegExp(`expected ${FEATURE_DIM}`));
    expect(() => tsBackend(new Uint8Array([0x3a, 0x00]))).toThrow(/missing initializer W1/);
  });
});
