/**
 * The verifier's recipe and its selection by held-out AUC. Fixed by design (not searched):
 * signals of a problem may only raise P(wrong) (non-negative weights); checks whose meaning is
 * known start from a positive weight that the data moves (strong evidence 2, soft evidence 1
 * on the logit scale); logprob weights are set by hand because no recording carries logprobs.
 * Searched by cross-validation: the L2 strength.
 */
import { DRAFT_FEATURES, type DraftFeature } from "../../../workers/gateway/src/router/cascade/draft-features";
import { SOURCES, type DraftRow } from "./draft-rows";
import type { FitOptions, LogisticFit } from "./logistic";
import { aucBySource, fitOn, outOfFold, verifierFold, type TrainSet } from "./verifier-cv";

const FREE: readonly DraftFeature[] = ["kind_math", "kind_code", "kind_choice", "prompt_length", "math_length", "math_quantities", "arith_checked", "final_explicit", "code_length"];
const STRONG: readonly DraftFeature[] = ["refusal", "truncated", "arith_wrong", "final_unsupported", "final_mismatch_last", "final_marked_without_number", "final_missing", "choice_invalid", "code_missing"];
const SOFT: readonly DraftFeature[] = ["hedging", "repetition", "final_non_integer", "final_negative", "approximation", "self_doubt", "too_long_for_ask", "too_short_for_ask", "unused_quantities"];

/**
 * Set by design, not fitted. Logprobs: the shared recordings have none; a mean token logprob
 * of −1 (average token probability 0.37) adds about +1 to the logit, very low worst tokens up
 * to +1 more, and the presence flag cancels what a confident draft (mean −0.1, worst 5% at
 * −2.5) would add. The router's prior is the baseline of drafts of no kind the verifier reads.
 */
export const UNFITTED: Partial<Record<DraftFeature, { weight: number; why: string }>> = {
  other_prior_logit: { weight: 1, why: "drafts of no kind the verifier reads start from the router's prior (its logit, as an offset)" },
  logprob_mean: { weight: 2, why: "no recorded draft has logprobs; a mean token logprob of -1 adds +1 to the logit" },
  logprob_low: { weight: 1, why: "no recorded draft has logprobs; worst 5% of tokens at -10 adds +1" },
  logprobs_present: { weight: -0.35, why: "cancels what a confident draft's logprobs add, so their presence alone moves nothing" },
};

export interface Variant {
  name: string;
  l2: number;
}

export const VARIANTS: readonly Variant[] = [1e-3, 3e-3, 1e-2].map((l2) => ({ name: `L2 ${l2}`, l2 }));

const index = (names: readonly DraftFeature[]): Set<number> => new Set(names.map((n) => DRAFT_FEATURES.indexOf(n)));

export function fitOptions(v: Variant): FitOptions {
  const priorMean = DRAFT_FEATURES.map((f) => UNFITTED[f]?.weight ?? (STRONG.includes(f) ? 2 : SOFT.includes(f) ? 1 : 0));
  const frozen = index(Object.keys(UNFITTED) as DraftFeature[]);
  const nonNegative = new Set(DRAFT_FEATURES.flatMap((f, j) => (FREE.includes(f) ? [] : [j])));
  // No intercept: every draft has a kind, and each kind has its own (the last one, the prior).
  return { l2: v.l2, priorMean, frozen, nonNegative, fitBias: false };
}

export interface VariantScore {
  variant: Variant;
  lodo: Record<string, number>;
  kfold: Record<string, number>;
  /** Mean over sources of the LODO and k-fold AUCs: what the selection maximises. */
  score: number;
  /** Out-of-fold logits of the k-fold run (for the trade-off report). */
  kfoldLogits: Float64Array;
}

const mean = (o: Record<string, number>): number => SOURCES.reduce((s, k) => s + (o[k] ?? 0.5), 0) / SOURCES.length;

export function scoreVariant(set: TrainSet, v: Variant, k: number): VariantScore {
  const opts = fitOptions(v);
  const lodo = aucBySource(set, outOfFold(set, (i) => set.rows[i]!.source, opts));
  const kfoldLogits = outOfFold(set, (i) => String(verifierFold(set.rows[i]!.prompt, k)), opts);
  const kfold = aucBySource(set, kfoldLogits);
  return { variant: v, lodo, kfold, score: (mean(lodo) + mean(kfold)) / 2, kfoldLogits };
}

export function fitAll(set: TrainSet, v: Variant): LogisticFit {
  return fitOn(set, set.rows.map((_, i) => i), fitOptions(v));
}

/** The k fold models bench:replay serves with: fold f's model never saw a row of fold f. */
export function fitFolds(set: TrainSet, v: Variant, k: number): LogisticFit[] {
  const folds = set.rows.map((r) => verifierFold(r.prompt, k));
  return Array.from({ length: k }, (_, f) => fitOn(set, folds.flatMap((g, i) => (g === f ? [] : [i])), fitOptions(v)));
}

export function rowsBySource(rows: readonly DraftRow[]): Record<string, { rows: number; wrong: number }> {
  const out: Record<string, { rows: number; wrong: number }> = {};
  for (const r of rows) {
    const s = (out[r.source] ??= { rows: 0, wrong: 0 });
    s.rows++;
    if (r.wrong) s.wrong++;
  }
  return out;
}
