/**
 * LLMRouter's per-task scores for 9 open models (7B-70B), no frontier model. Used as a
 * difficulty signal with the same meaning as the other sets' label: the small tier fails where
 * a stronger model succeeds. Label = (1 - mean score of the four general 7-9B instruct models)
 * × [a ~50B model (either Nemotron) scores >= 0.5]. The code-only 7B and the ChatQA models are
 * left out of "small": they fail on answer format, not difficulty (ChatQA-70B scores ~0 on
 * multiple choice), which would teach format, not hardness.
 * Evaluation pair (APGR for these "frontier-less" sets): Llama-3.1-8B vs Llama-3.1-Nemotron-51B,
 * one model family at two sizes.
 */
import { z } from "zod";
import type { OutcomeRow } from "./outcome-row";

export const LLMROUTER_SMALL = ["mistral-7b-instruct-v0.3", "llama-3.1-8b-instruct", "qwen2.5-7b-instruct", "gemma-2-9b-it"] as const;
export const LLMROUTER_STRONG = ["llama-3.1-nemotron-51b-instruct", "llama-3.3-nemotron-super-49b-v1"] as const;
const EVAL_WEAK = "llama-3.1-8b-instruct";
const EVAL_STRONG = "llama-3.1-nemotron-51b-instruct";

// Tasks that are copies of sets the other files hold: one LODO family with them.
const FAMILY: Readonly<Record<string, string>> = { "agentverse-mgsm": "gsm8k", arc_challenge: "arc_challenge", mbpp: "mbpp", "agentverse-logicgrid": "logicgrid" };

const Items = z.array(z.object({ question: z.string(), task_name: z.string(), scores: z.record(z.string(), z.number().min(0).max(1).nullable()) }).loose());

/** "gain": small wrong AND a ~50B model right; "difficulty": small wrong, whatever the 50B does. */
export type LlmrouterLabel = "gain" | "difficulty";

export function llmrouterRows(text: string, file: string, mode: LlmrouterLabel = "gain"): OutcomeRow[] {
  const items = Items.safeParse(JSON.parse(text));
  if (!items.success) throw new Error(`${file}: ${items.error.issues[0]?.message ?? "not an LLMRouter array"}`);
  const out: OutcomeRow[] = [];
  for (const it of items.data) {
    const small = LLMROUTER_SMALL.map((m) => it.scores[m]);
    const strong = LLMROUTER_STRONG.map((m) => it.scores[m]);
    const weak = it.scores[EVAL_WEAK];
    const ref = it.scores[EVAL_STRONG];
    if (!it.question.trim() || small.some((s) => s == null) || strong.every((s) => s == null) || weak == null || ref == null) continue;
    const smallMean = (small as number[]).reduce((a, b) => a + b, 0) / small.length;
    const strongRight = strong.some((s) => s != null && s >= 0.5);
    out.push({
      prompt: it.question,
      family: FAMILY[it.task_name] ?? it.task_name,
      group: `llmrouter:${it.task_name}`,
      label: mode === "difficulty" || strongRight ? 1 - smallMean : 0,
      weakOk: weak >= 0.5,
      strongOk: ref >= 0.5,
      pair: "llama8b-nemotron51b",
    });
  }
  return out;
}
