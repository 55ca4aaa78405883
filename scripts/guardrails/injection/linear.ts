/**
 * Logistic regression by SGD over sparse features: the hashed n-grams of a view (features.ts)
 * and its rule hits (heuristics.ts) at DIM + rule index. The same feature code runs in the
 * Worker, so training and serving cannot drift apart.
 */
import { DIM, forEachFeature } from "../../../workers/gateway/src/guardrails/injection/features";
import { RULES, ruleHits } from "../../../workers/gateway/src/guardrails/injection/heuristics";

export { mulberry32 } from "../../../shared/random";

export const WIDTH = DIM + RULES.length;

export interface Sparse {
  idx: Int32Array;
  val: Float32Array;
}
export interface Example {
  x: Sparse;
  y: 0 | 1;
  weight: number;
}
export interface Weights {
  w: Float64Array;
  b: number;
}

const cache = new Map<string, Sparse>();

/** Features of one lower-cased view (memoised: folds re-use the same texts many times). */
export function featuresOf(view: string): Sparse {
  const hit = cache.get(view);
  if (hit) return hit;
  const idx: number[] = [];
  const val: number[] = [];
  forEachFeature(view, (i, v) => {
    idx.push(i);
    val.push(v);
  });
  for (const r of ruleHits(view)) {
    idx.push(DIM + r);
    val.push(1);
  }
  const out = { idx: Int32Array.from(idx), val: Float32Array.from(val) };
  cache.set(view, out);
  return out;
}

function logit(m: Weights, x: Sparse): number {
  let z = m.b;
  for (let k = 0; k < x.idx.length; k++) z += (m.w[x.idx[k] ?? 0] ?? 0) * (x.val[k] ?? 0);
  return z;
}

export interface TrainOptions {
  epochs: number;
  rate: number;
  l2: number;
}
export const DEFAULT_TRAIN: TrainOptions = { epochs: 30, rate: 0.5, l2: 1e-5 };

/** Seeded SGD with a decaying step; example weights balance the classes. */
export function train(data: readonly Example[], rand: () => number, o: TrainOptions = DEFAULT_TRAIN): Weights {
  const m: Weights = { w: new Float64Array(WIDTH), b: 0 };
  const order = data.map((_, i) => i);
  for (let e = 0; e < o.epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
    }
    const rate = o.rate / (1 + e * 0.1);
    for (const i of order) {
      const d = data[i];
      if (!d) continue;
      const g = (1 / (1 + Math.exp(-logit(m, d.x))) - d.y) * d.weight;
      for (let k = 0; k < d.x.idx.length; k++) {
        const j = d.x.idx[k] ?? 0;
        m.w[j] = (m.w[j] ?? 0) * (1 - rate * o.l2) - rate * g * (d.x.val[k] ?? 0);
      }
      m.b -= rate * g * 0.1;
    }
  }
  return m;
}
