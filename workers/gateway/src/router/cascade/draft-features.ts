/**
 * The verifier's view of (prompt, one draft): a short vector of signals that can see a wrong
 * answer without a second sample. Computed by the same function when the verifier is trained
 * (scripts/cascade/) and when it runs on the request path, so the two cannot drift apart.
 * Every value is squashed to about [0, 1]. Changing a feature changes DRAFT_FEATURES_VERSION,
 * and the shipped weights name the version they were trained with.
 */
import { checkArithmetic } from "./arithmetic";
import { approximationCount, choiceLetters, choiceProblem, consistency, finalAnswer, lengthMismatch, numbersIn, promptQuantities, selfDoubtCount, unusedQuantityShare } from "./answer-checks";
import { asksForCode, hasCode, hedgeRate, isRefusal, looksTruncated, repetition } from "./draft-signals";
import type { LogprobStats } from "./logprob-signals";

export const DRAFT_FEATURES_VERSION = "draft-features-2";

/**
 * Drafts are read by kind: a worked calculation (the prompt states quantities and the draft
 * computes), code, a multiple-choice pick, or anything else. Length and the checks only speak
 * within their kind, so "long" means "a long calculation", not "a long essay". For the last
 * kind the verifier has nothing of its own to read, so its baseline is the router's prior
 * (`other_prior_logit`, weight fixed at 1): an easy prompt's plain answer is served unless the
 * draft itself shows trouble (refusal, hedging, a loop, the wrong length for the ask).
 */
export const DRAFT_FEATURES = [
  "kind_math",
  "kind_code",
  "kind_choice",
  "other_prior_logit",
  "prompt_length",
  "refusal",
  "truncated",
  "hedging",
  "repetition",
  "self_doubt",
  "too_long_for_ask",
  "too_short_for_ask",
  "math_length",
  "math_quantities",
  "arith_checked",
  "arith_wrong",
  "arith_wrong_share",
  "final_explicit",
  "final_missing",
  "final_marked_without_number",
  "final_mismatch_last",
  "final_unsupported",
  "final_non_integer",
  "final_negative",
  "unused_quantities",
  "approximation",
  "code_length",
  "code_missing",
  "choice_invalid",
  "logprobs_present",
  "logprob_mean",
  "logprob_low",
] as const;
export type DraftFeature = (typeof DRAFT_FEATURES)[number];

export interface DraftInput {
  /** Last user turn (redacted, as the router saw it). */
  prompt: string;
  draft: string;
  finishReason?: string | null;
  /** The router's complexity for this prompt; null when the router did not classify it. */
  prior?: number | null;
  logprobs?: LogprobStats | null;
}

const squash = (x: number, scale: number): number => Math.min(1, Math.log1p(Math.max(0, x)) / Math.log1p(scale));
const flag = (b: boolean): number => (b ? 1 : 0);
// Without a router decision the prior is a coin flip: the draft has to earn its way out.
const priorLogit = (p: number | null | undefined): number => {
  const q = Math.min(0.98, Math.max(0.02, p ?? 0.5));
  return Math.log(q / (1 - q));
};

const headTail = (text: string, head: number, tail: number): string => (text.length > head + tail ? `${text.slice(0, head)}\n${text.slice(-tail)}` : text);

type DraftKind = "math" | "code" | "choice" | "other";

function kindOf(prompt: string, draft: string, quantities: number, shownWork: boolean): DraftKind {
  if (choiceLetters(prompt).length > 0) return "choice";
  // A fence naming a language is code; a ```json fence is a requested format, not a program.
  if (asksForCode(prompt) || /```[ \t]*(?!json\b)[a-z][\w+#-]*[ \t]*\n/i.test(draft)) return "code";
  return quantities >= 2 && shownWork ? "math" : "other";
}

/** Named signals, for explanations (reasons) and tests. */
export function draftSignals(input: DraftInput): Record<DraftFeature, number> {
  // Bounded work on the request path: a long prompt or draft is read at its head and tail,
  // where the question and the final answer sit.
  const prompt = headTail(input.prompt, 4000, 2000);
  const draft = headTail(input.draft, 6000, 2000);
  const arith = checkArithmetic(draft);
  const final = finalAnswer(draft);
  const quantities = promptQuantities(prompt).length;
  const kind = kindOf(prompt, draft, quantities, arith.checked > 0 || (final.explicit && final.value !== null) || numbersIn(draft).length >= 3);
  const math = kind === "math";
  const cons = consistency(final, arith.results, arith.lastResult, prompt);
  const length = lengthMismatch(prompt, draft);
  const words = Math.max(1, draft.split(/\s+/).length);
  const lp = input.logprobs ?? null;
  const m = (v: number): number => (math ? v : 0);
  return {
    kind_math: flag(math),
    kind_code: flag(kind === "code"),
    kind_choice: flag(kind === "choice"),
    other_prior_logit: kind === "other" ? priorLogit(input.prior) : 0,
    prompt_length: squash(prompt.length, 4000),
    refusal: flag(isRefusal(draft)),
    truncated: flag(input.finishReason === "length" || looksTruncated(draft)),
    hedging: Math.min(1, hedgeRate(draft) / 6),
    repetition: Math.min(1, repetition(draft)),
    self_doubt: squash((selfDoubtCount(draft) * 100) / words, 3),
    too_long_for_ask: flag(length.tooLong),
    too_short_for_ask: flag(length.tooShort),
    math_length: m(squash(draft.length, 4000)),
    math_quantities: m(squash(quantities, 12)),
    arith_checked: m(squash(arith.checked, 12)),
    arith_wrong: flag(arith.wrong > 0),
    arith_wrong_share: arith.checked ? arith.wrong / arith.checked : 0,
    final_explicit: m(flag(final.explicit)),
    final_missing: m(flag(final.value === null)),
    final_marked_without_number: flag(quantities >= 2 && final.markedWithoutNumber),
    final_mismatch_last: m(flag(cons.mismatchLast)),
    final_unsupported: m(flag(cons.unsupported)),
    final_non_integer: m(flag(final.value !== null && Math.abs(final.value - Math.round(final.value)) > 1e-9)),
    final_negative: m(flag(final.value !== null && final.value < 0)),
    unused_quantities: m(unusedQuantityShare(prompt, draft)),
    approximation: squash(approximationCount(draft), 4),
    code_length: kind === "code" ? squash(draft.length, 4000) : 0,
    code_missing: flag(asksForCode(prompt) && !hasCode(draft)),
    choice_invalid: flag(kind === "choice" && choiceProblem(prompt, draft) !== "none"),
    logprobs_present: flag(lp !== null),
    // 0 when absent; when present, how far below a confident draft the mean and worst tokens sit.
    logprob_mean: lp ? Math.min(1, Math.max(0, -lp.mean) / 2) : 0,
    logprob_low: lp ? Math.min(1, Math.max(0, -lp.low) / 10) : 0,
  };
}

export function draftFeatureVector(input: DraftInput): Float64Array {
  const s = draftSignals(input);
  return Float64Array.from(DRAFT_FEATURES, (name) => s[name]);
}
