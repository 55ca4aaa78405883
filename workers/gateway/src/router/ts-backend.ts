/**
 * Pure-TS ScoreBackend over the same .onnx file: reads the initializers and computes the
 * graph documented in scripts/router/lib/onnx-export.ts on the sparse feature vector. The
 * Worker's router runs on it (worker-router.ts): the model is a few dozen non-zero inputs
 * through a 32-unit hidden layer, a few thousand multiply-adds, which ORT's per-run tensors,
 * copies into wasm memory and async session run cost many times over. Equal to ORT to ~1e-6
 * (tested in workerd, router-workerd.test.ts).
 */
import { readFloatInitializers, type FloatTensor } from "../onnx/onnx-initializers";
import type { ModelScores, ScoreBackend, SparseScoreBackend } from "./classify";

export function tsBackend(model: ArrayBuffer | Uint8Array): ScoreBackend {
  return tsModel(model).dense;
}

/**
 * Both entry points over one read of the weights: `dense` takes featurize's vector, `sparse`
 * featurizeSparse's non-zero entries. Both visit the inputs in index order, so their results are
 * bit-identical.
 */
export function tsModel(model: ArrayBuffer | Uint8Array): { dense: ScoreBackend; sparse: SparseScoreBackend } {
  const init = readFloatInitializers(model);
  const get = (name: string): FloatTensor => {
    const t = init.get(name);
    if (!t) throw new Error(`router model: missing initializer ${name}`);
    return t;
  };
  const w1 = get("W1");
  const [D = 0, H = 0] = w1.dims;
  const w1d = w1.data;
  const b1 = get("b1").data;
  const w2 = get("W2").data;
  const C = get("W2").dims[1] ?? 0;
  const b2 = get("b2").data;
  const w3 = get("W3").data;
  const b3 = get("b3").data[0] ?? 0;
  const v = get("V").data;
  // Input i with value xi into the hidden pre-activations and the linear complexity term.
  const input = (h: Float64Array, z: number, i: number, xi: number): number => {
    for (let j = 0, r = i * H; j < H; j++) h[j] = (h[j] as number) + xi * (w1d[r + j] as number);
    return z + xi * (v[i] as number);
  };
  const start = (): Float64Array => Float64Array.from(b1);
  const dense: ScoreBackend = async (x) => {
    if (x.length !== D) throw new Error(`router model: expected ${D} features, got ${x.length}`);
    const h = start();
    let z = b3;
    for (let i = 0; i < D; i++) if (x[i] !== 0) z = input(h, z, i, x[i] as number);
    return finish(h, z);
  };
  const sparse: SparseScoreBackend = async ({ index, value }) => {
    const h = start();
    let z = b3;
    for (let k = 0; k < index.length; k++) {
      const i = index[k] as number;
      if (!(i >= 0 && i < D)) throw new Error(`router model: feature ${i} outside 0..${D - 1}`);
      if (value[k] !== 0) z = input(h, z, i, value[k] as number);
    }
    return finish(h, z);
  };
  const finish = (h: Float64Array, z0: number): ModelScores => {
    let z = z0;
    const logits = new Float64Array(C);
    for (let c = 0; c < C; c++) logits[c] = b2[c] as number;
    for (let j = 0; j < H; j++) {
      const hj = (h[j] as number) > 0 ? (h[j] as number) : 0;
      if (hj === 0) continue;
      z += hj * (w3[j] as number);
      for (let c = 0, r = j * C; c < C; c++) logits[c] = (logits[c] as number) + hj * (w2[r + c] as number);
    }
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, logits[c] as number);
    let sum = 0;
    for (let c = 0; c < C; c++) sum += logits[c] = Math.exp((logits[c] as number) - max);
    const intentProbs = new Float32Array(C);
    for (let c = 0; c < C; c++) intentProbs[c] = (logits[c] as number) / sum;
    return { intentProbs, complexity: 1 / (1 + Math.exp(-z)) };
  };
  return { dense, sparse };
}
