/**
 * The router network, trained here in plain TS: one ReLU hidden layer shared by two heads,
 * intent (softmax over INTENTS) and complexity (sigmoid), plus a "wide" linear path from
 * every feature to the complexity logit so the handcrafted features act directly
 * (wide-and-deep). Inputs are sparse (hashed n-grams), so the first layer is updated lazily
 * per touched row with Adam. Deterministic for a given seed and data order.
 */
import type { Rng } from "./rng";

export interface MlpWeights {
  inputDim: number;
  hidden: number;
  classes: number;
  w1: Float32Array; // [inputDim, hidden]
  b1: Float32Array; // [hidden]
  w2: Float32Array; // [hidden, classes]
  b2: Float32Array; // [classes]
  w3: Float32Array; // [hidden]  (complexity, deep)
  b3: Float32Array; // [1]
  v: Float32Array; // [inputDim] (complexity, wide)
}

export interface SparseVec {
  idx: Int32Array;
  val: Float32Array;
}

export function toSparse(dense: Float32Array): SparseVec {
  const idx: number[] = [];
  const val: number[] = [];
  dense.forEach((v, i) => {
    if (v !== 0) (idx.push(i), val.push(v));
  });
  return { idx: Int32Array.from(idx), val: Float32Array.from(val) };
}

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
}

export function initWeights(rng: Rng, inputDim: number, hidden: number, classes: number): MlpWeights {
  const fill = (n: number, scale: number): Float32Array => Float32Array.from({ length: n }, () => gaussian(rng) * scale);
  return {
    inputDim,
    hidden,
    classes,
    w1: fill(inputDim * hidden, 0.3),
    b1: new Float32Array(hidden).fill(0.01),
    w2: fill(hidden * classes, Math.sqrt(2 / (hidden + classes))),
    b2: new Float32Array(classes),
    w3: fill(hidden, Math.sqrt(1 / hidden)),
    b3: new Float32Array(1),
    v: new Float32Array(inputDim),
  };
}

export interface Forward {
  pre: Float32Array;
  h: Float32Array;
  probs: Float32Array;
  /** Complexity before the sigmoid. */
  logit: number;
  complexity: number;
}

export function forward(w: MlpWeights, x: SparseVec): Forward {
  const { hidden: H, classes: C } = w;
  const pre = Float32Array.from(w.b1);
  let wide = 0;
  for (let k = 0; k < x.idx.length; k++) {
    const i = x.idx[k]!;
    const xv = x.val[k]!;
    wide += xv * w.v[i]!;
    const row = i * H;
    for (let j = 0; j < H; j++) pre[j]! += xv * w.w1[row + j]!;
  }
  const h = pre.map((p) => (p > 0 ? p : 0));
  const logits = Float32Array.from(w.b2);
  for (let j = 0; j < H; j++) for (let c = 0; c < C; c++) logits[c]! += h[j]! * w.w2[j * C + c]!;
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  let z = w.b3[0]! + wide;
  for (let j = 0; j < H; j++) z += h[j]! * w.w3[j]!;
  return { pre, h, probs: exps.map((e) => e / sum), logit: z, complexity: 1 / (1 + Math.exp(-z)) };
}
