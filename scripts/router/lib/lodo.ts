/**
 * Leave-one-dataset-out pieces shared by `router:train` (calibration) and `router:eval --lodo`
 * (the report): featurize the outcome rows once, score every family with a model that never saw
 * it, fit Platt scaling on those held-out scores.
 */
import { featurize } from "../../../workers/gateway/src/router/features/featurize";
import { outcomeLabel, type OutcomeRow } from "../outcomes/outcome-row";
import { fitPlatt, type Platt } from "./calibration";
import { crossFitLogits } from "./cross-fit";
import { toSparse } from "./mlp";
import type { OutcomeSet } from "./train-router";

/** The sets with the product's pair (Mixtral small tier, GPT-4 frontier): calibration and targets. */
export const MAIN_FAMILIES = ["gsm8k", "mmlu", "arc_challenge", "mbpp", "winogrande"] as const;

export function featurizeOutcomes(rows: readonly OutcomeRow[]): OutcomeSet {
  return { rows, x: rows.map((r) => toSparse(featurize({ prompt: r.prompt }))) };
}

export const families = (rows: readonly OutcomeRow[]): string[] => [...new Set(rows.map((r) => r.family))].sort();

/** Held-out logits for every row: each family scored by a model fitted on all the others. */
export const lodoLogits = (rows: readonly OutcomeRow[], inputs: readonly Float64Array[]): Float64Array => crossFitLogits(rows, inputs, (r) => r.family, families(rows));

/**
 * Platt scaling on held-out logits of the Mixtral/GPT-4 rows, against the real outcome
 * (small wrong AND frontier right), each family weighing the same whatever its size: the
 * calibrated complexity is P(small worse) for a prompt from a set the model has not seen.
 */
export function lodoPlatt(rows: readonly OutcomeRow[], logits: Float64Array): Platt {
  const idx = rows.map((_, i) => i).filter((i) => rows[i]!.pair === "mixtral-gpt4" && Number.isFinite(logits[i]));
  if (!idx.length) return { a: 1, b: 0 };
  const size = new Map<string, number>();
  for (const i of idx) size.set(rows[i]!.family, (size.get(rows[i]!.family) ?? 0) + 1);
  return fitPlatt(
    idx.map((i) => logits[i]!),
    idx.map((i) => outcomeLabel(rows[i]!.weakOk, rows[i]!.strongOk)),
    idx.map((i) => 1 / size.get(rows[i]!.family)!),
  );
}
