/**
 * Platt scaling: P = sigmoid(a·z + b) fitted by weighted logistic regression (Newton's method)
 * on logits the model produced for rows it was not trained on. Folded into the exported
 * weights (the complexity logit is linear in W3, b3 and V), so calibration costs nothing at
 * inference and the graph is unchanged.
 */
import type { MlpWeights } from "./mlp";

export interface Platt {
  a: number;
  b: number;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export function fitPlatt(z: readonly number[], y: readonly number[], w: readonly number[] = z.map(() => 1)): Platt {
  let a = 1;
  let b = 0;
  for (let it = 0; it < 50; it++) {
    // Gradient and Hessian of the weighted log-loss in (a, b); a tiny ridge keeps H invertible.
    let ga = 0, gb = 0, haa = 1e-6, hab = 0, hbb = 1e-6;
    for (let i = 0; i < z.length; i++) {
      const p = sigmoid(a * z[i]! + b);
      const r = w[i]! * (p - y[i]!);
      const s = w[i]! * p * (1 - p);
      ga += r * z[i]!;
      gb += r;
      haa += s * z[i]! * z[i]!;
      hab += s * z[i]!;
      hbb += s;
    }
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

export const applyPlatt = (c: Platt, z: number): number => sigmoid(c.a * z + c.b);

/** Weights whose complexity output is sigmoid(a·z + b) of the given weights' logit z. */
export function foldPlatt(w: MlpWeights, c: Platt): MlpWeights {
  return { ...w, w3: w.w3.map((x) => x * c.a), v: w.v.map((x) => x * c.a), b3: Float32Array.of(c.a * w.b3[0]! + c.b) };
}

/** Expected calibration error over equal-count bins (weighted). */
export function ece(p: readonly number[], y: readonly number[], bins = 10): number {
  const order = p.map((_, i) => i).sort((i, j) => p[i]! - p[j]!);
  let err = 0;
  for (let b = 0; b < bins; b++) {
    const idx = order.slice(Math.floor((b * order.length) / bins), Math.floor(((b + 1) * order.length) / bins));
    if (!idx.length) continue;
    const mp = idx.reduce((s, i) => s + p[i]!, 0) / idx.length;
    const my = idx.reduce((s, i) => s + y[i]!, 0) / idx.length;
    err += (idx.length / order.length) * Math.abs(mp - my);
  }
  return err;
}
