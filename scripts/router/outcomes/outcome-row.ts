/**
 * One prompt with real model outcomes, as read from a shared routing set by its adapter.
 * `label` is what the complexity head learns: P(the small tier's answer is worse than the
 * frontier's) = P(small wrong AND frontier right). When both are wrong escalating gains
 * nothing, and when only the small one is right escalating loses, so both count as 0.
 */
export interface OutcomeRow {
  prompt: string;
  /**
   * Leave-one-dataset-out unit: every copy of one source benchmark, whatever file it came in
   * (MGSM is GSM8K translated, LLMRouter's mbpp/arc_challenge are the same benchmarks as
   * RouterBench's), so a held-out family is never seen through another file.
   */
  family: string;
  /** Training group (file × task): its own base-rate offset, dropped at inference. */
  group: string;
  /** Soft label in [0, 1]. */
  label: number;
  /** The evaluation pair's outcomes, when the row has one (see `pair`). */
  weakOk: boolean;
  strongOk: boolean;
  /** Which models weakOk/strongOk are: Mixtral vs GPT-4, or (LLMRouter, no frontier) an 8B vs a 51B. */
  pair: "mixtral-gpt4" | "llama8b-nemotron51b";
  /** MMLU subject (for the within-MMLU k-fold by subject group). */
  subject?: string;
}

export const outcomeLabel = (weakOk: boolean, strongOk: boolean): number => (!weakOk && strongOk ? 1 : 0);

/** A 0/1 cell ("1", "0", "1.0", "0.0", "true", "false"); undefined when blank or unreadable. */
export function flag(cell: string | undefined): boolean | undefined {
  const v = (cell ?? "").trim().toLowerCase();
  if (v === "1" || v === "1.0" || v === "true") return true;
  if (v === "0" || v === "0.0" || v === "false") return false;
  return undefined;
}
