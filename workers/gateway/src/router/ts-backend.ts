/**
 * Pure-TS ScoreBackend over the same .onnx file: reads the initializers and computes the
 * graph documented in scripts/router/lib/onnx-export.ts on the sparse feature vector. Used as
 * the fallback when the ORT session cannot be created (the isolate keeps routing), and usable
 * alone where bundling ORT's 3.7 MB wasm is not an option. Equal to ORT to ~1e-6 (tested).
 */
import { readFloatInitializers, type FloatTensor } from "../onnx/onnx-initializers";
import type { ScoreBackend } from "./classify";

export function tsBackend(model: ArrayBuffer | Uint8Array): ScoreBackend {
  const init = readFloatInitializers(model);
  const get = (name: string): FloatTensor => {
    const t = init.get(name);
    if (!t) throw new Error(`router model: missing initializer ${name}`);
    return t;
  };
  const w1 = get("W1");
  const [D = 0, H = 0] = w1.dims;
  const b1 = get("b1").data;
  const w2 = get("W2").data;
  const C = get("W2").dims[1] ?? 0;
  const b2 = get("b2").data;
  const w3 = get("W3").data;
  const b3 = get("b3").data[0] ?? 0;
  const v = get("V").data;
  return async (x) => {
    if (x.length !== D) throw new Error(`router model: expected ${D} features, got ${x.length}`);
    const h = Float64Array.from(b1);
    let z = b3;
    for (let i = 0; i < D; i++) {
      const xi = x[i]!;
      if (xi === 0) continue;
      z += xi * v[i]!;
      for (let j = 0, r = i * H; j < H; j++) h[j]! += xi * w1.data[r + j]!;
    }
    const logits = Float64Array.from(b2);
    for (let j = 0; j < H; j++) {
      const hj = h[j]! > 0 ? h[j]! : 0;
      z += hj * w3[j]!;
      for (let c = 0; c < C; c++) logits[c]! += hj * w2[j * C + c]!;
    }
    const max = Math.max(...logits);
    const exps = logits.map((l) => Math.exp(l - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return { intentProbs: Float32Array.from(exps, (e) => e / sum), complexity: 1 / (1 + Math.exp(-z)) };
  };
}
