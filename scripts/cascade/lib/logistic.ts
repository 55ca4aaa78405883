/**
 * Weighted L2 logistic regression fitted by Newton's method (IRLS). A few dozen features and a
 * few thousand rows: exact, deterministic (no seed, no shuffling) and fast, so cross-validation
 * can refit it dozens of times.
 */

export interface LogisticFit {
  bias: number;
  weights: number[];
}

export interface FitOptions {
  /** L2 penalty on the weights (not the bias), in units of total sample weight. */
  l2: number;
  /**
   * Where the penalty pulls each weight (default 0). A check whose meaning is known (a
   * recomputed arithmetic error is evidence of a wrong draft) starts from a positive weight,
   * which the data then moves; a check the training rows never trigger keeps its prior.
   */
  priorMean?: readonly number[];
  /** Weights that may not go below 0: evidence of a problem never makes a draft look better. */
  nonNegative?: ReadonlySet<number>;
  /** Features whose weight stays at its prior mean (e.g. signals the training rows never carry). */
  frozen?: ReadonlySet<number>;
  maxIterations?: number;
  /** false: no intercept (the bias stays 0). */
  fitBias?: boolean;
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export function logit(fit: LogisticFit, x: ArrayLike<number>): number {
  let z = fit.bias;
  for (let j = 0; j < fit.weights.length; j++) z += (fit.weights[j] ?? 0) * (x[j] ?? 0);
  return z;
}

/** Solves A x = b (A symmetric positive definite, small) by Gaussian elimination with pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    if (Math.abs(pivot) < 1e-12) continue;
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / pivot;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const pivot = m[r]![r]!;
    if (Math.abs(pivot) < 1e-12) continue;
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!;
    x[r] = s / pivot;
  }
  return x;
}

/** y in {0, 1}; w per-row weights (any positive scale: normalised to mean 1). */
/** Fits, then pins any sign-constrained weight that came out negative at 0 and refits (active set). */
export function fitLogistic(x: ReadonlyArray<ArrayLike<number>>, y: readonly number[], w: readonly number[], opts: FitOptions): LogisticFit {
  const pinned = new Map<number, number>();
  for (const j of opts.frozen ?? []) pinned.set(j, opts.priorMean?.[j] ?? 0);
  for (;;) {
    const fit = newton(x, y, w, opts, pinned);
    const negative = fit.weights.flatMap((v, j) => (opts.nonNegative?.has(j) && v < -1e-12 && !pinned.has(j) ? [j] : []));
    if (negative.length === 0) return fit;
    for (const j of negative) pinned.set(j, 0);
  }
}

function newton(x: ReadonlyArray<ArrayLike<number>>, y: readonly number[], w: readonly number[], opts: FitOptions, pinned: ReadonlyMap<number, number>): LogisticFit {
  const d = x[0]?.length ?? 0;
  const n = x.length;
  const meanW = w.reduce((s, v) => s + v, 0) / Math.max(1, n);
  const mu = (j: number): number => opts.priorMean?.[j] ?? 0;
  // theta[0] is the bias; theta[j + 1] the weight of feature j.
  const theta = [0, ...Array.from({ length: d }, (_, j) => pinned.get(j) ?? mu(j))];
  for (let it = 0; it < (opts.maxIterations ?? 50); it++) {
    const g = new Array<number>(d + 1).fill(0);
    const h = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      let z = theta[0]!;
      for (let j = 0; j < d; j++) z += theta[j + 1]! * xi[j]!;
      const p = sigmoid(z);
      const wi = w[i]! / meanW;
      const r = wi * (p - y[i]!);
      const s = wi * Math.max(p * (1 - p), 1e-9);
      for (let a = 0; a <= d; a++) {
        const xa = a === 0 ? 1 : xi[a - 1]!;
        if (xa === 0) continue;
        g[a]! += r * xa;
        for (let b = 0; b <= a; b++) {
          const xb = b === 0 ? 1 : xi[b - 1]!;
          if (xb !== 0) h[a]![b]! += s * xa * xb;
        }
      }
    }
    for (let a = 0; a <= d; a++) for (let b = 0; b < a; b++) h[b]![a] = h[a]![b]!;
    if (opts.fitBias === false) {
      for (let k = 0; k <= d; k++) h[0]![k] = h[k]![0] = 0;
      h[0]![0] = 1;
      g[0] = 0;
    }
    for (let j = 1; j <= d; j++) {
      g[j]! += opts.l2 * n * (theta[j]! - mu(j - 1));
      h[j]![j]! += opts.l2 * n;
      if (pinned.has(j - 1)) {
        // A pinned weight: its row/column become the identity and its gradient 0.
        for (let k = 0; k <= d; k++) h[j]![k] = h[k]![j] = 0;
        h[j]![j] = 1;
        g[j] = 0;
      }
    }
    const step = solve(h, g);
    let moved = 0;
    for (let a = 0; a <= d; a++) {
      theta[a]! -= step[a]!;
      moved = Math.max(moved, Math.abs(step[a]!));
    }
    if (moved < 1e-9) break;
  }
  return { bias: theta[0]!, weights: theta.slice(1) };
}
