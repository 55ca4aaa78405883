/**
 * The complexity head: logistic regression on a few within-task difficulty features plus the
 * corpus model's complexity logit (a prior from the authored labels), with one base-rate offset
 * per data set that is dropped at inference. Chosen by leave-one-dataset-out validation
 * (docs/router.md): hashed n-grams, word-vector topics and a hidden layer all scored lower on
 * held-out sets, because what they learn ("this set is hard", its template words) does not
 * transfer. Fitted by Newton's method on standardised inputs, so it is exact and deterministic
 * (no seed, no data order), then written back on the raw input scale.
 */
import { HASH_DIM } from "../../../workers/gateway/src/router/features/featurize";
import { NUMERIC_FEATURES } from "../../../workers/gateway/src/router/features/numeric";
import type { SparseVec } from "./mlp";

export const COMPLEXITY_FEATURES = ["log_chars", "hard_words", "log_sentences", "log_quantities", "number_words", "negations", "conjunctions", "log_option_len"] as const;
export const COMPLEXITY_INDEX: readonly number[] = COMPLEXITY_FEATURES.map((n) => HASH_DIM + NUMERIC_FEATURES.indexOf(n));

export interface ComplexityRow {
  /** Model inputs (the selected features, then the prior logit). */
  f: Float64Array;
  /** Soft label: P(small worse than frontier). */
  y: number;
  weight: number;
  /** Data set offset index. */
  group: number;
}

export interface LinearComplexity {
  /** Raw-scale coefficient per input. */
  coef: number[];
  bias: number;
}

export function selectFeatures(x: SparseVec, index: readonly number[] = COMPLEXITY_INDEX): Float64Array {
  const out = new Float64Array(index.length);
  for (let k = 0; k < x.idx.length; k++) {
    const j = index.indexOf(x.idx[k]!);
    if (j >= 0) out[j] = x.val[k]!;
  }
  return out;
}

export const linearLogit = (m: LinearComplexity, f: Float64Array): number => f.reduce((z, v, k) => z + v * m.coef[k]!, m.bias);

/** Solves A·x = b (Gaussian elimination, partial pivoting); A is n×n row-major and is overwritten. */
function solve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]!) > Math.abs(a[p * n + c]!)) p = r;
    for (let k = 0; k < n; k++) [a[c * n + k], a[p * n + k]] = [a[p * n + k]!, a[c * n + k]!];
    [b[c], b[p]] = [b[p]!, b[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c]! / a[c * n + c]!;
      for (let k = c; k < n; k++) a[r * n + k]! -= f * a[c * n + k]!;
      b[r]! -= f * b[c]!;
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < n; k++) s -= a[r * n + k]! * x[k]!;
    x[r] = s / a[r * n + r]!;
  }
  return x;
}

function standardise(rows: readonly ComplexityRow[], F: number): { mu: Float64Array; sd: Float64Array } {
  const total = rows.reduce((a, r) => a + r.weight, 0) || 1;
  const mu = new Float64Array(F);
  const sd = new Float64Array(F);
  for (const r of rows) r.f.forEach((v, k) => (mu[k]! += (r.weight * v) / total));
  for (const r of rows) r.f.forEach((v, k) => (sd[k]! += (r.weight * (v - mu[k]!) ** 2) / total));
  return { mu, sd: sd.map((v) => Math.sqrt(v) || 1) };
}

/** Weighted logistic regression with per-group offsets and an L2 penalty on the coefficients only. */
export function fitComplexity(rows: readonly ComplexityRow[], groups: number, l2 = 1e-3): LinearComplexity {
  const F = rows[0]?.f.length ?? 0;
  const n = F + groups;
  const { mu, sd } = standardise(rows, F);
  const xs = rows.map((r) => r.f.map((v, k) => (v - mu[k]!) / sd[k]!));
  const total = rows.reduce((a, r) => a + r.weight, 0) || 1;
  const theta = new Float64Array(n);
  for (let it = 0; it < 100; it++) {
    const g = new Float64Array(n);
    const h = new Float64Array(n * n);
    // A tiny ridge on the offsets keeps H invertible when a group has no rows (its fold is held out).
    for (let k = 0; k < n; k++) h[k * n + k] = k < F ? l2 : 1e-6;
    for (let k = 0; k < F; k++) g[k] = l2 * theta[k]!;
    rows.forEach((r, i) => {
      const x = xs[i]!;
      const o = F + r.group;
      let z = theta[o]!;
      for (let k = 0; k < F; k++) z += theta[k]! * x[k]!;
      const p = 1 / (1 + Math.exp(-z));
      const d = (r.weight * (p - r.y)) / total;
      const s = (r.weight * p * (1 - p)) / total;
      for (let a = 0; a <= F; a++) {
        const ia = a < F ? a : o;
        const xa = a < F ? x[a]! : 1;
        g[ia]! += d * xa;
        for (let b = 0; b <= F; b++) h[ia * n + (b < F ? b : o)]! += s * xa * (b < F ? x[b]! : 1);
      }
    });
    const step = solve(h, g, n);
    let moved = 0;
    for (let k = 0; k < n; k++) (theta[k]! -= step[k]!), (moved += Math.abs(step[k]!));
    if (moved < 1e-10) break;
  }
  const coef = Array.from({ length: F }, (_, k) => theta[k]! / sd[k]!);
  return { coef, bias: -coef.reduce((s, c, k) => s + c * mu[k]!, 0) };
}
