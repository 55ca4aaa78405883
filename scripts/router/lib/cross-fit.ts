/**
 * Held-out scoring: fit the complexity model once per fold without that fold's rows and score
 * those rows. A fold is a key of `foldOf(row)`: the row's family for leave-one-dataset-out, an
 * MMLU subject group for the within-MMLU k-fold; rows whose key is null are always fitted on.
 * Only the outcome model is refitted: the corpus model (intent + prior) never sees outcome rows.
 */
import type { OutcomeRow } from "../outcomes/outcome-row";
import { linearLogit } from "./complexity-model";
import { trainComplexity } from "./train-router";

export type FoldOf = (row: OutcomeRow) => string | null;

/** Raw (uncalibrated, offset-free) complexity logits; NaN for rows in no fold. */
export function crossFitLogits(rows: readonly OutcomeRow[], inputs: readonly Float64Array[], foldOf: FoldOf, folds: readonly string[]): Float64Array {
  const out = new Float64Array(rows.length).fill(NaN);
  const keys = rows.map(foldOf);
  for (const fold of folds) {
    const keep = rows.map((_, i) => i).filter((i) => keys[i] !== fold);
    const m = trainComplexity(keep.map((i) => rows[i]!), keep.map((i) => inputs[i]!));
    keys.forEach((k, i) => {
      if (k === fold) out[i] = linearLogit(m, inputs[i]!);
    });
  }
  return out;
}

/** The within-MMLU k-fold: subjects sorted by name, subject i in group i mod k. */
export function subjectFolds(rows: readonly OutcomeRow[], k: number): { foldOf: FoldOf; folds: string[] } {
  const subjects = [...new Set(rows.filter((r) => r.family === "mmlu").map((r) => r.subject ?? ""))].sort();
  const group = new Map(subjects.map((s, i) => [s, `mmlu-subjects-${i % k}`]));
  return { foldOf: (r) => (r.family === "mmlu" ? (group.get(r.subject ?? "") ?? null) : null), folds: Array.from({ length: Math.min(k, subjects.length) }, (_, i) => `mmlu-subjects-${i}`) };
}
