/** Small request/response builders for cache tests. */
import type { ChatCompletionRequest, ChatCompletionResponse } from "../../../../../shared/schemas/openai-chat";
import type { CacheScope } from "../cache-key/cache-key";
import type { CacheDirectives } from "../cache-control";
import type { CacheLookupInput } from "../types";

export const NO_DIRECTIVES: CacheDirectives = { noCache: false, noStore: false, threshold: null };

export function chat(question: string, extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest {
  return {
    model: "auto",
    messages: [
      { role: "system", content: "You are a helpful support assistant." },
      { role: "user", content: question },
    ],
    temperature: 0,
    ...extra,
  };
}

export function answer(text: string, extra: Partial<ChatCompletionResponse> = {}): ChatCompletionResponse {
  return {
    id: "chatcmpl-upstream",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "small-1",
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    usage: { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 },
    ...extra,
  };
}

export function scope(tenantId = "t-acme", over: Partial<CacheScope> = {}): CacheScope {
  return { tenantId, keyId: "k-1", endUser: null, feature: "support", ...over };
}

export function input(request: ChatCompletionRequest, s: CacheScope = scope(), over: Partial<CacheLookupInput> = {}): CacheLookupInput {
  return { request, scope: s, modelOrTier: "tier:small", directives: NO_DIRECTIVES, requestId: "req-1", ...over };
}
