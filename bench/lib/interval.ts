/**
 * A mean with its 95% confidence interval (Student's t), for paired per-round differences: the
 * benchmarks that compare arms interleaved in one run report these instead of a bare median.
 */

export interface Interval {
  mean: number;
  sd: number;
  n: number;
  low: number;
  high: number;
}

/** Two-sided 95% quantile of Student's t with `df` degrees of freedom (Cornish-Fisher; within 0.8% at df = 3, 0.25% from df = 4). */
export function t975(df: number): number {
  const z = 1.959964;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
}

export function meanInterval(xs: readonly number[]): Interval {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, n - 1));
  const half = n > 1 ? (t975(n - 1) * sd) / Math.sqrt(n) : Number.NaN;
  return { mean, sd, n, low: mean - half, high: mean + half };
}

/**
 * The Hodges-Lehmann estimate (median of the Walsh averages) with its distribution-free 95%
 * interval from the Wilcoxon signed-rank test (normal approximation of the rank, fine from ~15
 * pairs): robust to the odd window that a garbage collection or another job lands in, where the
 * mean's interval widens with every such outlier.
 */
export function hodgesLehmann(xs: readonly number[]): Interval {
  const n = xs.length;
  const walsh: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh.push(((xs[i] as number) + (xs[j] as number)) / 2);
  walsh.sort((a, b) => a - b);
  const m = walsh.length;
  const mid = m % 2 ? (walsh[(m - 1) / 2] as number) : ((walsh[m / 2 - 1] as number) + (walsh[m / 2] as number)) / 2;
  // Rank of the lower bound: the critical value of the signed-rank statistic at 2.5%.
  const k = Math.max(0, Math.floor(m / 2 - 1.959964 * Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24)));
  const sd = meanInterval(xs).sd;
  return { mean: mid, sd, n, low: walsh[k] ?? Number.NaN, high: walsh[m - 1 - k] ?? Number.NaN };
}
