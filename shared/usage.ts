/**
 * Normalized token usage (input/output with cached and reasoning detail), so cost is a pure
 * function of (usage, price) whatever upstream answered. Shape after vercel/ai's provider v3.
 */
import type { OpenAIUsage } from "./schemas/openai-chat";
import type { TokenUsage } from "./schemas/usage-event";

export type { TokenUsage };

export const EMPTY_USAGE: TokenUsage = { input: { total: 0, cached: 0 }, output: { total: 0, reasoning: 0 }, source: "none" };

export function fromOpenAIUsage(u: OpenAIUsage): TokenUsage {
  return {
    input: { total: u.prompt_tokens, cached: u.prompt_tokens_details?.cached_tokens ?? 0 },
    output: { total: u.completion_tokens, reasoning: u.completion_tokens_details?.reasoning_tokens ?? 0 },
    source: "upstream",
  };
}

export function toOpenAIUsage(u: TokenUsage): OpenAIUsage {
  return {
    prompt_tokens: u.input.total,
    completion_tokens: u.output.total,
    total_tokens: u.input.total + u.output.total,
    ...(u.input.cached ? { prompt_tokens_details: { cached_tokens: u.input.cached } } : {}),
    ...(u.output.reasoning ? { completion_tokens_details: { reasoning_tokens: u.output.reasoning } } : {}),
  };
}
