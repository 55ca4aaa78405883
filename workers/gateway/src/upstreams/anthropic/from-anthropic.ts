/**
 * Anthropic Messages response -> OpenAI chat.completion.
 * Spec: https://docs.anthropic.com/en/api/messages (response, stop_reason, usage)
 */
import type { ChatCompletionResponse, OpenAIUsage, ToolCall } from "../../../../../shared/schemas/openai-chat";
import type { AnthropicResponse, AnthropicUsage } from "./schemas";

/** end_turn/stop_sequence -> stop, max_tokens -> length, tool_use -> tool_calls, refusal -> content_filter. */
export function toFinishReason(stopReason: string | null | undefined): string {
  switch (stopReason) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      // end_turn, stop_sequence, pause_turn and anything newer: the turn ended normally.
      return "stop";
  }
}

/** Anthropic's input_tokens excludes cache reads/writes; OpenAI's prompt_tokens includes them. */
export function toOpenAIUsageFromAnthropic(u: Partial<AnthropicUsage>): OpenAIUsage {
  const cached = u.cache_read_input_tokens ?? 0;
  const prompt = (u.input_tokens ?? 0) + cached + (u.cache_creation_input_tokens ?? 0);
  const completion = u.output_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached },
  };
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function toChatCompletion(res: AnthropicResponse, created = nowSeconds()): ChatCompletionResponse {
  let text: string | null = null;
  const toolCalls: ToolCall[] = [];
  for (const block of res.content) {
    if (block.type === "text" && "text" in block && typeof block.text === "string") text = (text ?? "") + block.text;
    if (block.type === "tool_use" && "id" in block && typeof block.id === "string" && "name" in block && typeof block.name === "string") {
      const input = "input" in block ? block.input : {};
      toolCalls.push({ id: block.id, type: "function", function: { name: block.name, arguments: JSON.stringify(input) } });
    }
  }
  return {
    id: res.id,
    object: "chat.completion",
    created,
    model: res.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: text, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
        finish_reason: toFinishReason(res.stop_reason),
      },
    ],
    usage: toOpenAIUsageFromAnthropic(res.usage),
  };
}
