/**
 * The label choices for the shared routing sets, chosen by leave-one-dataset-out APGR
 * (docs/router.md): LLMRouter as a difficulty signal (its ~50B "strong" models fail the hardest
 * items too, so "small wrong AND 50B right" taught the opposite of what a frontier model shows:
 * mean LODO APGR 0.54 against 0.57), RouterBench averaged over Mixtral and four other open models.
 */
import type { LabelOptions } from "./load-routing-sets";

export const ROUTING_LABELS: LabelOptions & { description: string } = {
  llmrouter: "difficulty",
  routerbenchSoftSmall: ["mistralai/mistral-7b-chat", "meta/llama-2-70b-chat", "zero-one-ai/Yi-34B-Chat", "WizardLM/WizardLM-13B-V1.2"],
  description:
    "GSM8K, MMLU: Mixtral wrong AND GPT-4 right. RouterBench: GPT-4 right × share wrong of Mixtral, Mistral-7B, Llama-2-70B, Yi-34B, WizardLM-13B. LLMRouter: 1 − mean score of Mistral-7B, Llama-3.1-8B, Qwen2.5-7B, Gemma-2-9B.",
};
