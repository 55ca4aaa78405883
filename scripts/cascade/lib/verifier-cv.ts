/**
 * Held-out evaluation of the draft verifier, never in-sample: leave-one-dataset-out (train on
 * three sources, score the fourth) and k-fold by row (every row scored by the model that did
 * not see it). Folds are a hash of the prompt, so `npm run bench:replay` can serve each
 * GSM8K row with the fold model that left it out, without shipping a row list.
 */
import { auc } from "../../router/lib/metrics";
import type { DraftRow, Source } from "./draft-rows";
import { fitLogistic, logit, type FitOptions, type LogisticFit } from "./logistic";
import { verifierFold } from "./verifier-folds";

export { verifierFold };

export interface TrainSet {
  rows: readonly DraftRow[];
  x: ReadonlyArray<Float64Array>;
}

/** Each source weighs the same in total, so the biggest set does not decide alone. */
export function sourceWeights(rows: readonly DraftRow[]): number[] {
  const counts = new Map<Source, number>();
  for (const r of rows) counts.set(r.source, (counts.get(r.source) ?? 0) + 1);
  return rows.map((r) => 1 / (counts.get(r.source) ?? 1));
}

export function fitOn(set: TrainSet, idx: readonly number[], opts: FitOptions): LogisticFit {
  const rows = idx.map((i) => set.rows[i]!);
  return fitLogistic(
    idx.map((i) => set.x[i]!),
    rows.map((r) => (r.wrong ? 1 : 0)),
    sourceWeights(rows),
    opts,
  );
}

/** Out-of-fold logits: each row scored by a model trained without its fold. */
export function outOfFold(set: TrainSet, foldOf: (i: number) => string, opts: FitOptions): Float64Array {
  const out = new Float64Array(set.rows.length).fill(NaN);
  const keys = set.rows.map((_, i) => foldOf(i));
  for (const fold of [...new Set(keys)].sort()) {
    const train = keys.flatMap((k, i) => (k === fold ? [] : [i]));
    const fit = fitOn(set, train, opts);
    keys.forEach((k, i) => {
      if (k === fold) out[i] = logit(fit, set.x[i]!);
    });
  }
  return out;
}

export function aucBySource(set: TrainSet, scores: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const source of [...new Set(set.rows.map((r) => r.source))]) {
    const idx = set.rows.flatMap((r, i) => (r.source === source ? [i] : []));
    out[source] = auc(idx.map((i) => scores[i]!), idx.map((i) => set.rows[i]!.wrong));
  }
  return out;
}

export interface TradeoffPoint {
  /** Share of drafts escalated. */
  escalated: number;
  /** Wrong drafts caught (escalated) / all wrong drafts. */
  recall: number;
  /** Correct answers served / all-frontier correct answers. */
  qualityVsFrontier: number;
}

/**
 * The escalate/accept trade-off from labels alone: escalated rows get the frontier's answer,
 * accepted rows the draft. Rows without a frontier label are skipped.
 */
export function tradeoff(rows: readonly DraftRow[], scores: ArrayLike<number>, shares: readonly number[]): TradeoffPoint[] {
  const idx = rows.flatMap((r, i) => (r.frontierOk === null ? [] : [i])).sort((a, b) => scores[b]! - scores[a]!);
  const frontier = idx.filter((i) => rows[i]!.frontierOk).length;
  const wrong = idx.filter((i) => rows[i]!.wrong).length;
  return shares.map((share) => {
    const cut = Math.round(share * idx.length);
    let correct = 0;
    let caught = 0;
    idx.forEach((i, rank) => {
      const r = rows[i]!;
      if (rank < cut) {
        if (r.frontierOk) correct++;
        if (r.wrong) caught++;
      } else if (!r.wrong) correct++;
    });
    return { escalated: cut / idx.length, recall: wrong ? caught / wrong : 0, qualityVsFrontier: frontier ? correct / frontier : 0 };
  });
}
