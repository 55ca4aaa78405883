/**
 * Feedback n-grams are applied only when they beat the base router on judged outcomes they were
 * not fitted on. scripts/router/feedback-study.ts showed why: on a tenant's own traffic, 100 to
 * 1,000 judged outcomes of one benchmark-like task fitted into 4,096 hashed n-grams lower the
 * ranking on the rest of that traffic (GSM8K APGR 0.62 -> 0.50) — word evidence there is noise —
 * while a distinct failing prompt type ("write a haiku ...") is learned and carries over. The
 * check is k-fold within the feedback itself: the only in-distribution evidence there is.
 */
import type { FeedbackRow } from "./feedback-ngrams";
import { auc } from "./metrics";
import type { SparseVec } from "./mlp";
import { mulberry32, shuffle } from "./rng";

/** Fewer judged rows than this cannot be checked; the n-grams are then not applied. */
export const MIN_FEEDBACK_ROWS = 8;
const FOLDS = 4;
/** AUC is compared only when each fold's held-out rows hold both verdicts this often overall. */
const MIN_PER_CLASS = 10;

export interface FeedbackCheck {
  rows: number;
  applied: boolean;
  reason: string;
  /** Out-of-fold weighted log-loss of the judged verdicts: base router, base + n-grams. */
  baseLogLoss: number | null;
  tunedLogLoss: number | null;
  /** Out-of-fold AUC (small answer judged not ok), when both verdicts are common enough. */
  baseAuc: number | null;
  tunedAuc: number | null;
}

type Fit = (rows: readonly FeedbackRow[]) => Float32Array;

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

function logLoss(z: readonly number[], rows: readonly FeedbackRow[]): number {
  let s = 0;
  let w = 0;
  rows.forEach((r, i) => {
    const p = Math.min(1 - 1e-9, Math.max(1e-9, sigmoid(z[i]!)));
    s -= r.weight * (r.y * Math.log(p) + (1 - r.y) * Math.log(1 - p));
    w += r.weight;
  });
  return s / Math.max(1e-12, w);
}

/** Logit of x under the base router plus the hashed n-gram weights `w`. */
export function tunedLogit(base: (x: SparseVec) => number, w: Float32Array, x: SparseVec): number {
  let z = base(x);
  for (let k = 0; k < x.idx.length; k++) if (x.idx[k]! < w.length) z += w[x.idx[k]!]! * x.val[k]!;
  return z;
}

export function checkFeedback(base: (x: SparseVec) => number, feedback: readonly FeedbackRow[], fit: Fit, seed: number): FeedbackCheck {
  const none = { baseLogLoss: null, tunedLogLoss: null, baseAuc: null, tunedAuc: null };
  if (feedback.length < MIN_FEEDBACK_ROWS) return { rows: feedback.length, applied: false, reason: `fewer than ${MIN_FEEDBACK_ROWS} judged rows: too few to check`, ...none };
  const order = shuffle(mulberry32(seed), feedback.map((_, i) => i));
  const zBase = feedback.map((r) => base(r.x));
  const zTuned = new Array<number>(feedback.length);
  for (let f = 0; f < FOLDS; f++) {
    const held = new Set(order.filter((_, k) => k % FOLDS === f));
    const w = fit(feedback.filter((_, i) => !held.has(i)));
    for (const i of held) zTuned[i] = tunedLogit(base, w, feedback[i]!.x);
  }
  const baseLogLoss = logLoss(zBase, feedback);
  const tunedLogLoss = logLoss(zTuned, feedback);
  const positives = feedback.filter((r) => r.y >= 0.5).length;
  const both = positives >= MIN_PER_CLASS && feedback.length - positives >= MIN_PER_CLASS;
  const hard = feedback.map((r) => r.y >= 0.5);
  const baseAuc = both ? auc(zBase, hard) : null;
  const tunedAuc = both ? auc(zTuned, hard) : null;
  const lossOk = tunedLogLoss < baseLogLoss;
  const aucOk = baseAuc === null || tunedAuc === null || tunedAuc >= baseAuc;
  const reason = !lossOk ? "n-grams fitted on other folds did not lower the held-out log-loss" : !aucOk ? "n-grams fitted on other folds ranked the held-out verdicts worse (AUC)" : "n-grams fitted on other folds beat the base router on held-out verdicts";
  return {
    rows: feedback.length,
    applied: lossOk && aucOk,
    reason,
    baseLogLoss: round4(baseLogLoss),
    tunedLogLoss: round4(tunedLogLoss),
    baseAuc: baseAuc === null ? null : round4(baseAuc),
    tunedAuc: tunedAuc === null ? null : round4(tunedAuc),
  };
}
