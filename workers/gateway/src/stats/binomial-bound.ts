/**
 * Exact (Clopper-Pearson) one-sided confidence bounds on a binomial rate: with `k` wrong answers
 * in `n` checked ones, the true rate is at most upperBound(k, n, alpha) with confidence 1 - alpha.
 * Used by the semantic cache's error bound (cache/calibration/) and the router's labelled band
 * (router/quality-target/labelled-band.ts).
 * Exact rather than Wilson or normal: the rates the cache controls (0.5-2%) sit where the
 * approximations are too optimistic with few errors (Wilson's bound for 0 of 100 is 3.7%, the
 * exact one 2.9% one-sided at 95%, but for 1 of 300 Wilson gives 1.9% vs exact 1.6%, and the
 * normal bound is 0 whenever k = 0).
 */

/** log Gamma (Lanczos, g = 7): enough digits for binomial tails. */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0] ?? 1;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] ?? 0) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const logChoose = (n: number, k: number): number => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
const logPmf = (i: number, n: number, p: number): number => logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p);

/** Σ of the pmf from `from` stepping by `dir` while it stays in [0, n], scaled by the first term (terms shrink away from the mode). */
function tail(from: number, dir: 1 | -1, n: number, p: number): number {
  const odds = p / (1 - p);
  const first = logPmf(from, n, p);
  let [rel, sum] = [1, 0];
  for (let i = from; i >= 0 && i <= n && rel > 1e-17 * sum; i += dir) {
    sum += rel;
    // pmf(i + 1) / pmf(i) = (n − i) / (i + 1) · p / (1 − p)
    rel *= dir === -1 ? i / (n - i + 1) / odds : ((n - i) / (i + 1)) * odds;
  }
  return Math.exp(first) * sum;
}

/**
 * P(X <= k) for X ~ Binomial(n, p), summed from the side away from the mode: exact, no overflow
 * or underflow for n up to millions (the router's labelled band reads windows of that size, where
 * an incomplete-beta continued fraction needs more terms than it is given).
 */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n || p <= 0) return 1;
  if (p >= 1) return 0;
  return k < n * p ? Math.min(1, tail(k, -1, n, p)) : Math.max(0, 1 - tail(k + 1, 1, n, p));
}

/**
 * Bisection on a monotone predicate of p (true below the answer) within [lo, hi], to an absolute
 * 1e-7: rates are compared with a delta of at least 0.001. Returns the upper end (conservative).
 */
function solve(f: (p: number) => boolean, lo = 0, hi = 1): number {
  while (hi - lo > 1e-7) {
    const mid = (lo + hi) / 2;
    if (f(mid)) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** A bracket above the exact bound: the rate plus a generous normal-approximation margin. */
function bracketAbove(k: number, n: number): number {
  const p = k / n;
  return Math.min(1, p + 6 * Math.sqrt((p * (1 - p) + 1 / n) / n) + 4 / n);
}

/** Largest rate p still consistent with seeing at most k of n: P(X <= k | p) >= alpha. 1 when n = 0. */
export function upperBound(k: number, n: number, alpha: number): number {
  if (n <= 0) return 1;
  if (k >= n) return 1;
  // Closed form for k = 0 (the common case while a band is clean).
  if (k <= 0) return 1 - alpha ** (1 / n);
  const key = `${k}/${n}/${alpha}`;
  let bound = memo.get(key);
  if (bound === undefined) {
    const f = (p: number): boolean => binomialCdf(k, n, p) >= alpha;
    const edge = bracketAbove(k, n);
    // The bracket is generous, but never trusted blindly: if the bound lies above it, search above.
    bound = f(edge) ? solve(f, edge, 1) : solve(f, 0, edge);
    if (memo.size >= MAX_MEMO) memo.clear();
    memo.set(key, bound);
  }
  return bound;
}

// Counts change by one check at a time, so the same (k, n) pairs recur across snapshots.
const memo = new Map<string, number>();
const MAX_MEMO = 20_000;

/** Smallest rate p still consistent with seeing at least k of n: P(X >= k | p) >= alpha. 0 when k = 0. */
export function lowerBound(k: number, n: number, alpha: number): number {
  if (n <= 0 || k <= 0) return 0;
  if (k >= n) return alpha ** (1 / n);
  return 1 - solve((q) => binomialCdf(n - k, n, q) >= alpha);
}
