/**
 * Usage and cost of one exchange. Token counts come from the upstream's usage when it
 * reported them, else from our tokenizer over the same (redacted) text, so a streamed and a
 * non-streamed exchange are priced identically. Cost is a pure function of (usage, price).
 */
import { costUsd } from "../../../../shared/pricing";
import { contentText, type ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";
import { countChatTokens, countTokens } from "../../../../shared/tokens";
import type { TokenUsage } from "../../../../shared/usage";
import type { ModelEntry, ModelRegistry } from "../config/model-registry";

export function resolveUsage(reported: TokenUsage | null, request: ChatCompletionRequest, answerText: string): TokenUsage {
  if (reported) return reported;
  const prompt = countChatTokens(request.messages.map((m) => ({ role: m.role, text: contentText(m.content ?? null) })));
  return { input: { total: prompt, cached: 0 }, output: { total: countTokens(answerText), reasoning: 0 }, source: "tokenizer" };
}

export interface PricedUsage {
  costUsd: number;
  counterfactualCostUsd: number;
}

export function priceUsage(usage: TokenUsage, model: ModelEntry | null, registry: ModelRegistry): PricedUsage {
  const counterfactualCostUsd = costUsd(usage, registry.counterfactualModel.pricing);
  return { costUsd: model ? costUsd(usage, model.pricing) : 0, counterfactualCostUsd };
}
