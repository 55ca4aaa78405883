/**
 * Production feedback (judged small-tier outcomes on the tenant's own traffic) moves the
 * complexity of prompts like the judged ones through hashed n-gram weights. Unlike benchmark
 * rows, feedback is in-distribution, so word-level evidence is worth learning there. Anchor
 * prompts (the training rows) are fitted to the base model's own prediction, so an n-gram only
 * gains weight where it separates the judged prompts from everything else ("haiku"), not where
 * it is merely common ("write", "a").
 */
import { AdamTensor } from "./adam";
import type { SparseVec } from "./mlp";
import { mulberry32, shuffle } from "./rng";

export interface FeedbackRow {
  x: SparseVec;
  /** 1 = the small tier's answer was worse. */
  y: number;
  weight: number;
}

export interface FeedbackOptions {
  seed: number;
  epochs: number;
  hashDim: number;
  lr?: number;
  decay?: number;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Weights for the hashed block (length hashDim) to add to the complexity logit. */
export function fitFeedbackNgrams(base: (x: SparseVec) => number, feedback: readonly FeedbackRow[], anchors: readonly SparseVec[], o: FeedbackOptions): Float32Array {
  const w = new Float32Array(o.hashDim);
  if (!feedback.length) return w;
  const rows: { x: SparseVec; z0: number; y: number; weight: number }[] = [
    ...feedback.map((f) => ({ x: f.x, z0: base(f.x), y: f.y, weight: f.weight })),
    ...anchors.map((x) => {
      const z0 = base(x);
      return { x, z0, y: sigmoid(z0), weight: 1 };
    }),
  ];
  const adam = new AdamTensor(w, 1);
  const grad = new Float32Array(o.hashDim);
  const lr = o.lr ?? 0.05;
  const decay = o.decay ?? 1e-3;
  const rng = mulberry32(o.seed);
  const order = rows.map((_, i) => i);
  for (let e = 0; e < o.epochs; e++) {
    for (const i of shuffle(rng, order)) {
      const r = rows[i]!;
      const touched: number[] = [];
      let z = r.z0;
      for (let k = 0; k < r.x.idx.length; k++) if (r.x.idx[k]! < o.hashDim) (touched.push(r.x.idx[k]!), (z += w[r.x.idx[k]!]! * r.x.val[k]!));
      const d = r.weight * (sigmoid(z) - r.y);
      for (let k = 0; k < r.x.idx.length; k++) if (r.x.idx[k]! < o.hashDim) grad[r.x.idx[k]!]! += d * r.x.val[k]!;
      adam.step(grad, lr, decay, touched);
    }
  }
  return w;
}
