/**
 * What can a tenant's own judged outcomes buy the router (issue 12)? The shipped router ranks
 * prompts of a task it never saw no better than AUC ~0.6 (docs/router.md, "Limits"). Production
 * feedback is different evidence: judged small-tier answers on the tenant's own traffic (served
 * small-tier answers and the shadow sample, `router.shadowSmallRate`), which `router:train
 * --feedback` turns into hashed n-gram weights (feedback-ngrams.ts). This study measures that
 * recipe without production data:
 *
 *  - the base logits are leave-one-dataset-out (the base router never saw the tenant's task);
 *  - a tenant's traffic is one set, or a mix of the five Mixtral/GPT-4 sets;
 *  - it is split in two halves by a seeded shuffle: judged outcomes are drawn from one half
 *    (n of them; a judge that is right, or one that flips a share of its verdicts), the other
 *    half is what the router then decides, never read while fitting;
 *  - the band (the complexity cut-off for the small tier) is read on the judged half's
 *    out-of-fold scores (2-fold within it), so the cut-off is not fitted on in-sample scores.
 *
 * Exploratory (scripts/router/feedback-study.ts prints it); the recipe it measures is the one
 * that ships (train-router.ts stage 3).
 */
import { HASH_DIM } from "../../../workers/gateway/src/router/features/featurize";
import type { OutcomeRow } from "../outcomes/outcome-row";
import { labelledCutoff, qualityKept } from "./calibration-study";
import { checkFeedback, tunedLogit } from "./feedback-gate";
import { fitFeedbackNgrams, type FeedbackRow } from "./feedback-ngrams";
import { auc } from "./metrics";
import type { SparseVec } from "./mlp";
import { mulberry32, type Rng } from "./rng";
import { routingReport } from "./routellm-metrics";
import { RECIPE_DEFAULTS } from "./train-router";

export interface StudyRow {
  row: OutcomeRow;
  x: SparseVec;
  /** Held-out base logit (the base router never saw this row's family). */
  z0: number;
}

export interface StudyOptions {
  /** Judged outcomes drawn from the judged half (capped at its size). */
  judged: number;
  /** Share of the judge's verdicts that are wrong (0 = a judge that is always right). */
  judgeNoise: number;
  target: number;
  seed: number;
}

export interface StudyOutcome {
  apgr: number;
  auc: number;
  /** Quality kept when the lowest-scored 30% go small. */
  qualityAt30: number;
  /** With the band read on the judged half: share sent small and quality kept on the other half. */
  bandSmallShare: number;
  bandQuality: number;
}


function halves(n: number, rng: Rng): [number[], number[]] {
  const keys = Array.from({ length: n }, () => rng());
  const order = keys.map((_, i) => i).sort((i, j) => keys[i]! - keys[j]!);
  return [order.slice(0, n >> 1), order.slice(n >> 1)];
}

function outcome(rows: readonly StudyRow[], meas: readonly number[], score: (i: number) => number, cut: number): StudyOutcome {
  const r = meas.map((i) => rows[i]!.row);
  const s = meas.map(score);
  const order = s.map((_, k) => k).sort((a, b) => s[a]! - s[b]!);
  const low = new Set(order.slice(0, Math.round(0.3 * s.length)));
  const small = s.map((v) => v <= cut);
  return {
    apgr: routingReport(r.map((x, k) => ({ score: s[k]!, weakOk: x.weakOk, strongOk: x.strongOk }))).apgr,
    auc: auc(s, r.map((x) => !x.weakOk && x.strongOk)),
    qualityAt30: qualityKept(r, s.map((_, k) => low.has(k))),
    bandSmallShare: small.filter(Boolean).length / Math.max(1, small.length),
    bandQuality: qualityKept(r, small),
  };
}

/**
 * One split: [base router, base + the tenant's judged outcomes, the same behind the shipped
 * check (feedback-gate.ts)], all measured on the same half.
 */
export function feedbackRun(rows: readonly StudyRow[], anchors: readonly StudyRow[], o: StudyOptions): [StudyOutcome, StudyOutcome, StudyOutcome] {
  const rng = mulberry32(o.seed);
  const [judgedHalf, meas] = halves(rows.length, rng);
  const judged = judgedHalf.filter(() => rng() < Math.min(1, o.judged / judgedHalf.length));
  const verdict = judged.map((i) => (rng() < o.judgeNoise ? !rows[i]!.row.weakOk : rows[i]!.row.weakOk));
  // The shipped stage-3 fit: y = 1 when the small answer was judged not ok, anchors kept neutral.
  const z0 = new Map<SparseVec, number>([...rows, ...anchors].map((r) => [r.x, r.z0]));
  const base = (x: SparseVec): number => z0.get(x) ?? 0;
  const feedback: FeedbackRow[] = judged.map((i, k) => ({ x: rows[i]!.x, y: verdict[k] ? 0 : 1, weight: 3 }));
  const fit = (f: readonly FeedbackRow[]): Float32Array => fitFeedbackNgrams(base, f, anchors.map((a) => a.x), { seed: o.seed, epochs: RECIPE_DEFAULTS.feedbackEpochs, hashDim: HASH_DIM });
  // Out-of-fold scores of the judged rows, for reading the band without in-sample optimism.
  const [fa, fb] = halves(judged.length, rng);
  const oof = new Map<number, number>();
  for (const [fitK, scoreK] of [[fa, fb], [fb, fa]] as const) {
    const w = fit(fitK.map((k) => feedback[k]!));
    for (const k of scoreK) oof.set(judged[k]!, tunedLogit(base, w, rows[judged[k]!]!.x));
  }
  const w = fit(feedback);
  // The band is read against the judge's verdicts (all the tenant has), not the true labels.
  const seen = judged.map((i, k) => ({ ...rows[i]!.row, weakOk: verdict[k]! }));
  const untuned = outcome(rows, meas, (i) => rows[i]!.z0, labelledCutoff(seen, judged.map((i) => rows[i]!.z0), o.target));
  const tuned = outcome(rows, meas, (i) => tunedLogit(base, w, rows[i]!.x), labelledCutoff(seen, judged.map((i) => oof.get(i)!), o.target));
  return [untuned, tuned, checkFeedback(base, feedback, fit, o.seed).applied ? tuned : untuned];
}

export const meanOutcome = (xs: readonly StudyOutcome[]): StudyOutcome => {
  const m = (f: (x: StudyOutcome) => number): number => xs.reduce((s, x) => s + f(x), 0) / Math.max(1, xs.length);
  return { apgr: m((x) => x.apgr), auc: m((x) => x.auc), qualityAt30: m((x) => x.qualityAt30), bandSmallShare: m((x) => x.bandSmallShare), bandQuality: m((x) => x.bandQuality) };
};
