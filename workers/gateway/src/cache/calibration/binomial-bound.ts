/**
 * Exact (Clopper-Pearson) one-sided confidence bounds on a binomial rate: with `k` wrong answers
 * in `n` checked ones, the true rate is at most upperBound(k, n, alpha) with confidence 1 - alpha.
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

/** Continued fraction of the incomplete beta (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    c = 1 + aa / c;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = Math.abs(c) < tiny ? tiny : c;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    c = 1 + aa / c;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = Math.abs(c) < tiny ? tiny : c;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-12) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(X <= k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return regularizedBeta(1 - p, n - k, k + 1);
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
