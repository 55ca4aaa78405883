/**
 * Usage and cost of one exchange. Token counts come from the upstream's usage when it
 * reported them, else from our tokenizer over the same (redacted) text, so a streamed and a
 * non-streamed exchange are priced identically. Cost is a pure function of (usage, price).
 *
 * Metering must never fail: an upstream call that happened is billed even when counting or
 * pricing throws (`accountExchange` falls back to a length estimate and logs), because a throw
 * here used to drop the stream's usage event and bill a buffered answer $0.
 */
import { costUsd } from "../../../../shared/pricing";
import { contentText, type ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";
import { countChatTokens, countTokens } from "../../../../shared/tokens";
import type { TokenUsage } from "../../../../shared/usage";
import type { ModelEntry, ModelRegistry } from "../config/model-registry";
import type { ChatExchange } from "./exchange";

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

/** ~4 characters a token (OpenAI's rule of thumb), used only when the tokenizer itself failed. */
const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

function estimatedUsage(request: ChatCompletionRequest, answerText: string): TokenUsage {
  let prompt = 3;
  for (const m of request.messages) prompt += 3 + estimateTokens(m.role) + estimateTokens(contentText(m.content ?? null));
  return { input: { total: prompt, cached: 0 }, output: { total: estimateTokens(answerText), reasoning: 0 }, source: "tokenizer" };
}

export interface Accounted extends PricedUsage {
  usage: TokenUsage;
  /** Why the figures are an estimate (the tokenizer or the price threw); null when exact. */
  fallback: string | null;
}

/** Usage and cost that never throws: an estimate (marked) beats an event lost or billed $0. */
export function accountExchange(
  reported: TokenUsage | null,
  request: ChatCompletionRequest,
  answerText: string,
  model: ModelEntry | null,
  registry: ModelRegistry,
  resolve: typeof resolveUsage = resolveUsage,
): Accounted {
  let usage: TokenUsage;
  let fallback: string | null = null;
  try {
    usage = resolve(reported, request, answerText);
  } catch (err) {
    fallback = `tokenizer: ${errorName(err)}`;
    usage = estimatedUsage(request, answerText);
  }
  try {
    return { usage, ...priceUsage(usage, model, registry), fallback };
  } catch (err) {
    // The evaluator re-prices from model_prices by model; the event's own cost is the fallback.
    return { usage, costUsd: 0, counterfactualCostUsd: 0, fallback: `${fallback ? `${fallback}; ` : ""}price: ${errorName(err)}` };
  }
}

// The name only: a message may quote the text it failed on.
const errorName = (err: unknown): string => (err instanceof Error ? err.name.slice(0, 100) : "unknown");

/**
 * `accountExchange` for one exchange: a fallback is put on the trace (`meteringFallback`) and
 * logged without any request text (the log names only the failure).
 */
export function accountChat(ex: Pick<ChatExchange, "requestId" | "request" | "decisions">, reported: TokenUsage | null, answerText: string, model: ModelEntry | null, registry: ModelRegistry): PricedUsage & { usage: TokenUsage } {
  const { fallback, ...accounted } = accountExchange(reported, ex.request, answerText, model, registry);
  if (fallback) {
    ex.decisions.meteringFallback = fallback;
    console.warn(JSON.stringify({ level: "warn", msg: "metering fell back to an estimate", requestId: ex.requestId, reason: fallback }));
  }
  return accounted;
}
