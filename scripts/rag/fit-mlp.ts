/**
 * Fits the reranker's MLP (rag/rerank/mlp.ts) with a listwise loss: per query, softmax over its
 * candidates, cross-entropy against the relevant ones (ListNet top-1). Full-batch Adam with L2,
 * deterministic initialisation from a seed.
 */
import type { RerankModel } from "../../workers/gateway/src/rag/rerank/mlp";

export interface QueryGroup {
  x: Float32Array[];
  /** 1 = the candidate's document is relevant. */
  y: number[];
}

export interface FitOptions {
  hidden: number;
  l2: number;
  epochs: number;
  lr: number;
  seed: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return (s >>> 8) / 0x1000000;
  };
}

export function standardise(groups: readonly QueryGroup[], f: number): { mean: number[]; std: number[] } {
  const mean = new Array<number>(f).fill(0);
  const sq = new Array<number>(f).fill(0);
  let n = 0;
  for (const g of groups)
    for (const x of g.x) {
      n++;
      for (let i = 0; i < f; i++) {
        mean[i] = (mean[i] ?? 0) + (x[i] ?? 0);
        sq[i] = (sq[i] ?? 0) + (x[i] ?? 0) ** 2;
      }
    }
  const m = mean.map((v) => v / Math.max(n, 1));
  const std = sq.map((v, i) => Math.sqrt(Math.max(v / Math.max(n, 1) - (m[i] ?? 0) ** 2, 1e-8)));
  return { mean: m, std };
}

export function fitMlp(groups: readonly QueryGroup[], features: readonly string[], o: FitOptions): RerankModel {
  const f = features.length;
  const h = o.hidden;
  const { mean, std } = standardise(groups, f);
  const train = groups.filter((g) => g.y.some((v) => v > 0) && g.y.some((v) => v === 0));
  const zs = train.map((g) => g.x.map((x) => Float64Array.from({ length: f }, (_, i) => ((x[i] ?? 0) - (mean[i] ?? 0)) / (std[i] || 1))));
  const rand = rng(o.seed);
  // Parameters in one vector: linear[f], bias, w1[h*f], b1[h], w2[h].
  const size = f + 1 + h * f + h + h;
  const p = new Float64Array(size);
  const L = 0, B = f, W1 = f + 1, B1 = W1 + h * f, W2 = B1 + h;
  for (let i = 0; i < h * f; i++) p[W1 + i] = (rand() - 0.5) * 2 * Math.sqrt(1 / f);
  for (let i = 0; i < h; i++) p[W2 + i] = (rand() - 0.5) * 0.2;
  const m1 = new Float64Array(size), m2 = new Float64Array(size), grad = new Float64Array(size);
  const act = new Float64Array(h);
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    grad.fill(0);
    zs.forEach((rows, q) => {
      const y = (train[q] as QueryGroup).y;
      const rel = y.reduce((a, b) => a + b, 0);
      const scores = rows.map((z) => {
        let s = p[B] ?? 0;
        for (let i = 0; i < f; i++) s += (p[L + i] ?? 0) * (z[i] ?? 0);
        for (let k = 0; k < h; k++) {
          let a = p[B1 + k] ?? 0;
          for (let i = 0; i < f; i++) a += (p[W1 + k * f + i] ?? 0) * (z[i] ?? 0);
          s += (p[W2 + k] ?? 0) * Math.tanh(a);
        }
        return s;
      });
      const max = Math.max(...scores);
      const exps = scores.map((s) => Math.exp(s - max));
      const sum = exps.reduce((a, b) => a + b, 0);
      rows.forEach((z, j) => {
        const d = ((exps[j] ?? 0) / sum - (y[j] ?? 0) / rel) / zs.length;
        grad[B] = (grad[B] ?? 0) + d;
        for (let i = 0; i < f; i++) grad[L + i] = (grad[L + i] ?? 0) + d * (z[i] ?? 0);
        for (let k = 0; k < h; k++) {
          let a = p[B1 + k] ?? 0;
          for (let i = 0; i < f; i++) a += (p[W1 + k * f + i] ?? 0) * (z[i] ?? 0);
          act[k] = Math.tanh(a);
          grad[W2 + k] = (grad[W2 + k] ?? 0) + d * (act[k] ?? 0);
          const da = d * (p[W2 + k] ?? 0) * (1 - (act[k] ?? 0) ** 2);
          grad[B1 + k] = (grad[B1 + k] ?? 0) + da;
          for (let i = 0; i < f; i++) grad[W1 + k * f + i] = (grad[W1 + k * f + i] ?? 0) + da * (z[i] ?? 0);
        }
      });
    });
    for (let i = 0; i < size; i++) {
      const g = (grad[i] ?? 0) + (i === B ? 0 : o.l2 * (p[i] ?? 0));
      m1[i] = 0.9 * (m1[i] ?? 0) + 0.1 * g;
      m2[i] = 0.999 * (m2[i] ?? 0) + 0.001 * g * g;
      const mh = (m1[i] ?? 0) / (1 - 0.9 ** epoch);
      const vh = (m2[i] ?? 0) / (1 - 0.999 ** epoch);
      p[i] = (p[i] ?? 0) - (o.lr * mh) / (Math.sqrt(vh) + 1e-8);
    }
  }
  const r = (v: number) => Math.round(v * 1e6) / 1e6;
  return {
    id: "",
    features: [...features],
    mean: mean.map(r),
    std: std.map(r),
    hidden: h,
    w1: Array.from(p.subarray(W1, W1 + h * f), r),
    b1: Array.from(p.subarray(B1, B1 + h), r),
    w2: Array.from(p.subarray(W2, W2 + h), r),
    linear: Array.from(p.subarray(L, L + f), r),
    bias: r(p[B] ?? 0),
    provenance: {},
  };
}
