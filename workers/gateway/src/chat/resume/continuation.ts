/**
 * The request that continues a cut stream, and what each cut segment is billed. The partial
 * answer goes back as the final assistant message (vLLM's `continue_final_message`), so the
 * resume call's input tokens include it. Everything here sees the upstream side of the relay:
 * the partial text is the REDACTED text the model wrote (placeholders, never restored PII).
 */
import type { ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { countTokens } from "../../../../../shared/tokens";
import type { TokenUsage } from "../../../../../shared/usage";
import { resolveUsage } from "../accounting";

/**
 * The resume call's request, or null when the client's token limit is already spent (the cut
 * answer is as long as it may be; a continuation would only be refused). With nothing relayed
 * yet, the resume is the original request again: the client holds no text to continue.
 */
export function continuationRequest(request: ChatCompletionRequest, partial: string): ChatCompletionRequest | null {
  if (partial === "") return request;
  const limitKey = request.max_completion_tokens != null ? "max_completion_tokens" : request.max_tokens != null ? "max_tokens" : null;
  const limits: Partial<ChatCompletionRequest> = {};
  if (limitKey) {
    // Our tokenizer stands in for the model's: the continuation's budget is an estimate.
    const left = (request[limitKey] as number) - countTokens(partial);
    if (left < 1) return null;
    limits[limitKey] = left;
  }
  return { ...request, ...limits, messages: [...request.messages, { role: "assistant", content: partial }] };
}

/** Tokens of a segment the upstream never reported usage for (it was cut): its prompt and its text. */
export function segmentUsage(request: ChatCompletionRequest, text: string): TokenUsage {
  return resolveUsage(null, request, text);
}

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    input: { total: a.input.total + b.input.total, cached: a.input.cached + b.input.cached },
    output: { total: a.output.total + b.output.total, reasoning: a.output.reasoning + b.output.reasoning },
    // Any estimated part makes the whole an estimate.
    source: a.source === "upstream" && b.source === "upstream" ? "upstream" : "tokenizer",
  };
}
