/**
 * Feedback n-grams are applied only when they beat the base router on judged outcomes they were
 * not fitted on. scripts/router/feedback-study.ts showed why: on a tenant's own traffic, 100 to
 * 1,000 judged outcomes of one benchmark-like task fitted into 4,096 hashed n-grams lower the
 * ranking on the rest of that traffic (GSM8K APGR 0.62 -> 0.50) — word evidence there is noise —
 * while a distinct failing prompt type ("write a haiku ...") is learned and carries over. The
 * check is k-fold within the feedback itself (the only in-distribution evidence there is), folded
 * by prompt features so a repeated prompt is never on both sides, and the held-out log-loss must
 * fall by more than its standard error.
 */
import type { FeedbackRow } from "./feedback-ngrams";
import { auc } from "./metrics";
import type { SparseVec } from "./mlp";
import { fmix32, fnv1a, fnv1aStep } from "../../../shared/hash/fnv1a";

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

/** Per-row log-loss of logit z against the row's verdict. */
function rowLoss(z: number, r: FeedbackRow): number {
  const p = Math.min(1 - 1e-9, Math.max(1e-9, sigmoid(z)));
  return -(r.y * Math.log(p) + (1 - r.y) * Math.log(1 - p));
}

/** Weighted mean and its standard error. */
function meanSe(xs: readonly number[], w: readonly number[]): { mean: number; se: number } {
  const sw = w.reduce((a, b) => a + b, 0) || 1e-12;
  const mean = xs.reduce((a, x, i) => a + w[i]! * x, 0) / sw;
  const variance = xs.reduce((a, x, i) => a + w[i]! * (x - mean) ** 2, 0) / sw;
  return { mean, se: Math.sqrt(variance / Math.max(1, xs.length - 1)) };
}

/** Fold of a row: by its features, so repeats of one prompt (retries, templates) never sit on both sides. */
function foldOf(x: SparseVec, seed: number): number {
  let h = fnv1a(String(seed));
  for (let k = 0; k < x.idx.length; k++) h = fnv1aStep(h, `${x.idx[k]}:${x.val[k]!.toFixed(4)};`);
  return (fmix32(h) >>> 0) % FOLDS;
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
  const fold = feedback.map((r) => foldOf(r.x, seed));
  const zBase = feedback.map((r) => base(r.x));
  const zTuned = [...zBase];
  for (let f = 0; f < FOLDS; f++) {
    const held = feedback.map((_, i) => i).filter((i) => fold[i] === f);
    if (!held.length) continue;
    const w = fit(feedback.filter((_, i) => fold[i] !== f));
    for (const i of held) zTuned[i] = tunedLogit(base, w, feedback[i]!.x);
  }
  const weights = feedback.map((r) => r.weight);
  const lossBase = feedback.map((r, i) => rowLoss(zBase[i]!, r));
  const lossTuned = feedback.map((r, i) => rowLoss(zTuned[i]!, r));
  const baseLogLoss = meanSe(lossBase, weights).mean;
  const tunedLogLoss = meanSe(lossTuned, weights).mean;
  // The gain must exceed its own standard error (paired over rows): a few rows of noise pass "any gain" easily.
  const gain = meanSe(lossBase.map((b, i) => b - lossTuned[i]!), weights);
  const positives = feedback.filter((r) => r.y >= 0.5).length;
  const both = positives >= MIN_PER_CLASS && feedback.length - positives >= MIN_PER_CLASS;
  const hard = feedback.map((r) => r.y >= 0.5);
  const baseAuc = both ? auc(zBase, hard) : null;
  const tunedAuc = both ? auc(zTuned, hard) : null;
  const lossOk = gain.mean > gain.se;
  const aucOk = baseAuc === null || tunedAuc === null || tunedAuc >= baseAuc;
  const reason = !lossOk ? "n-grams fitted on other folds did not lower the held-out log-loss by more than its standard error" : !aucOk ? "n-grams fitted on other folds ranked the held-out verdicts worse (AUC)" : "n-grams fitted on other folds beat the base router on held-out verdicts";
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
