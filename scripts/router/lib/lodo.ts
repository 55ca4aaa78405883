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

/** Platt scaling of held-out logits of the Mixtral/GPT-4 rows against `label`, each family weighing the same whatever its size. */
function familyPlatt(rows: readonly OutcomeRow[], logits: Float64Array, label: (r: OutcomeRow) => number): Platt {
  const idx = rows.map((_, i) => i).filter((i) => rows[i]!.pair === "mixtral-gpt4" && Number.isFinite(logits[i]));
  if (!idx.length) return { a: 1, b: 0 };
  const size = new Map<string, number>();
  for (const i of idx) size.set(rows[i]!.family, (size.get(rows[i]!.family) ?? 0) + 1);
  return fitPlatt(idx.map((i) => logits[i]!), idx.map((i) => label(rows[i]!)), idx.map((i) => 1 / size.get(rows[i]!.family)!));
}

/**
 * Platt scaling on held-out logits against the real outcome (small wrong AND frontier right):
 * the calibrated complexity is P(small worse) for a prompt from a set the model has not seen.
 */
export const lodoPlatt = (rows: readonly OutcomeRow[], logits: Float64Array): Platt => familyPlatt(rows, logits, (r) => outcomeLabel(r.weakOk, r.strongOk));

/**
 * The same held-out logits against the other disagreement (small right AND frontier wrong):
 * P(small better), which the quality target's net loss credits (quality-target/win-curve.ts).
 */
export const lodoWinPlatt = (rows: readonly OutcomeRow[], logits: Float64Array): Platt => familyPlatt(rows, logits, (r) => (r.weakOk && !r.strongOk ? 1 : 0));
