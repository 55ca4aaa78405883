/**
 * Mini-batch training of the router network. Losses: class-weighted cross-entropy on intent
 * (rows that have one) + BCE on complexity against soft labels (corpus) or judged outcomes
 * (feedback: small_ok=false -> 1). Input dropout on the hashed block keeps the model from
 * leaning on single template words, which is what lets it generalise past our own rows.
 */
import { AdamTensor } from "./adam";
import { forward, initWeights, type MlpWeights, type SparseVec } from "./mlp";
import { mulberry32, shuffle } from "./rng";

export interface TrainRow {
  x: SparseVec;
  intent?: number;
  complexity?: number;
  weight: number;
}

export interface TrainOptions {
  seed: number;
  epochs: number;
  hidden: number;
  classes: number;
  inputDim: number;
  hashDim: number;
  batch: number;
  lr: number;
  decay: number;
  dropout: number;
  complexityWeight: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

interface Grads {
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
  w3: Float32Array;
  b3: Float32Array;
  v: Float32Array;
  rows: Set<number>;
}

function classWeights(rows: readonly TrainRow[], classes: number): Float32Array {
  const counts = new Float32Array(classes);
  for (const r of rows) if (r.intent !== undefined) counts[r.intent]!++;
  const mean = counts.reduce((a, b) => a + b, 0) / classes;
  return counts.map((c) => (c > 0 ? Math.min(4, Math.sqrt(mean / c)) : 0));
}

/** Backprop one example into `g`; returns its loss. */
function accumulate(w: MlpWeights, x: SparseVec, row: TrainRow, cw: Float32Array, opt: TrainOptions, g: Grads): number {
  const f = forward(w, x);
  const { hidden: H, classes: C } = w;
  const dLogits = new Float32Array(C);
  let loss = 0;
  if (row.intent !== undefined) {
    const s = row.weight * cw[row.intent]!;
    loss -= s * Math.log(f.probs[row.intent]! + 1e-9);
    for (let c = 0; c < C; c++) dLogits[c] = s * (f.probs[c]! - (c === row.intent ? 1 : 0));
  }
  let dz = 0;
  if (row.complexity !== undefined) {
    const y = row.complexity;
    const s = row.weight * opt.complexityWeight;
    loss -= s * (y * Math.log(f.complexity + 1e-9) + (1 - y) * Math.log(1 - f.complexity + 1e-9));
    dz = s * (f.complexity - y);
  }
  const dh = new Float32Array(H);
  for (let j = 0; j < H; j++) {
    let acc = dz * w.w3[j]!;
    for (let c = 0; c < C; c++) {
      g.w2[j * C + c]! += f.h[j]! * dLogits[c]!;
      acc += w.w2[j * C + c]! * dLogits[c]!;
    }
    g.w3[j]! += f.h[j]! * dz;
    dh[j] = f.pre[j]! > 0 ? acc : 0;
  }
  for (let c = 0; c < C; c++) g.b2[c]! += dLogits[c]!;
  g.b3[0]! += dz;
  for (let j = 0; j < H; j++) g.b1[j]! += dh[j]!;
  for (let k = 0; k < x.idx.length; k++) {
    const i = x.idx[k]!;
    const xv = x.val[k]!;
    g.rows.add(i);
    g.v[i]! += xv * dz;
    for (let j = 0; j < H; j++) g.w1[i * H + j]! += xv * dh[j]!;
  }
  return loss;
}

function dropout(x: SparseVec, p: number, hashDim: number, rnd: () => number): SparseVec {
  if (p <= 0) return x;
  const idx: number[] = [];
  const val: number[] = [];
  for (let k = 0; k < x.idx.length; k++) {
    const i = x.idx[k]!;
    if (i < hashDim && rnd() < p) continue;
    idx.push(i);
    val.push(i < hashDim ? x.val[k]! / (1 - p) : x.val[k]!);
  }
  return { idx: Int32Array.from(idx), val: Float32Array.from(val) };
}

export function trainMlp(rows: readonly TrainRow[], opt: TrainOptions): MlpWeights {
  const rng = mulberry32(opt.seed);
  const w = initWeights(rng, opt.inputDim, opt.hidden, opt.classes);
  const H = opt.hidden;
  const cw = classWeights(rows, opt.classes);
  const g: Grads = { w1: new Float32Array(w.w1.length), b1: new Float32Array(H), w2: new Float32Array(w.w2.length), b2: new Float32Array(opt.classes), w3: new Float32Array(H), b3: new Float32Array(1), v: new Float32Array(w.v.length), rows: new Set() };
  const adam = { w1: new AdamTensor(w.w1, H), b1: new AdamTensor(w.b1, H), w2: new AdamTensor(w.w2, w.w2.length), b2: new AdamTensor(w.b2, opt.classes), w3: new AdamTensor(w.w3, H), b3: new AdamTensor(w.b3, 1), v: new AdamTensor(w.v, 1) };
  const order = rows.map((_, i) => i);
  for (let epoch = 0; epoch < opt.epochs; epoch++) {
    shuffle(rng, order);
    let total = 0;
    for (let s = 0; s < order.length; s += opt.batch) {
      const batch = order.slice(s, s + opt.batch);
      for (const i of batch) total += accumulate(w, dropout(rows[i]!.x, opt.dropout, opt.hashDim, rng), rows[i]!, cw, opt, g);
      const scale = 1 / batch.length;
      for (const key of ["w1", "b1", "w2", "b2", "w3", "b3", "v"] as const) for (const r of key === "w1" || key === "v" ? g.rows : [-1]) scaleRow(g[key], r, key === "w1" ? H : 1, scale);
      const lr = opt.lr * (1 - (0.9 * epoch) / opt.epochs);
      adam.w1.step(g.w1, lr, opt.decay, g.rows);
      adam.v.step(g.v, lr, opt.decay, g.rows);
      for (const key of ["b1", "w2", "b2", "w3", "b3"] as const) adam[key].step(g[key], lr, key === "w2" || key === "w3" ? opt.decay : 0);
      g.rows.clear();
    }
    opt.onEpoch?.(epoch, total / rows.length);
  }
  return w;
}

/** Scales one row (r >= 0) or the whole tensor (r = -1) of a gradient buffer. */
function scaleRow(buf: Float32Array, r: number, rowLen: number, s: number): void {
  const [lo, hi] = r < 0 ? [0, buf.length] : [r * rowLen, (r + 1) * rowLen];
  for (let k = lo; k < hi; k++) buf[k]! *= s;
}
