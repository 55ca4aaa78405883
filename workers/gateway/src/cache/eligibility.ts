/**
 * Whether a request may use the cache at all, and whether a response may be stored. Pure, so
 * every refusal has a named reason the lead can put in the trace.
 */
import type { ChatCompletionRequest, ChatCompletionResponse } from "../../../../shared/schemas/openai-chat";
import type { CacheDirectives } from "./cache-control";
import type { CachePolicy } from "./settings";

/** Both placeholder forms: numbered (restored per request) and hashed (the `hash` PII action). */
const PLACEHOLDER = /<[A-Z][A-Z_]*?_\d{1,6}>|<[A-Z_]+:[0-9a-f]{12}>/;
/** Finishes that are a complete, intended answer ("length" is fine: max_tokens is in the key). */
const CACHEABLE_FINISH = new Set(["stop", "length"]);

export function requestIneligible(request: ChatCompletionRequest, policy: CachePolicy, question: string): string | null {
  if (!policy.enabled) return "disabled";
  const temperature = request.temperature ?? 1;
  if (temperature > policy.maxTemperature && !policy.allowHighTemperature) return "temperature";
  if (!policy.cacheToolCalls && request.messages.some((m) => m.role === "tool" || (m.role === "assistant" && m.tool_calls?.length)))
    return "tool-turn";
  if (!policy.cacheWithPlaceholders && request.messages.some((m) => PLACEHOLDER.test(JSON.stringify(m.content ?? ""))))
    return "placeholders";
  if (question === "" && !policy.exact) return "no-question";
  return null;
}

export function lookupBypass(directives: CacheDirectives): string | null {
  return directives.noCache ? "no-cache" : null;
}

export function responseUnstorable(response: ChatCompletionResponse, policy: CachePolicy, directives: CacheDirectives): string | null {
  if (directives.noStore) return "no-store";
  if (response.choices.length === 0) return "empty";
  for (const c of response.choices) {
    if (!CACHEABLE_FINISH.has(c.finish_reason ?? "") && !(policy.cacheToolCalls && c.finish_reason === "tool_calls")) return `finish:${c.finish_reason}`;
    if (c.message.tool_calls?.length && !policy.cacheToolCalls) return "tool-calls";
    if (c.message.refusal) return "refusal";
  }
  return null;
}

/** Semantic matching needs the conversation to end on a user turn with text. */
export function semanticEligible(request: ChatCompletionRequest, question: string, policy: CachePolicy): boolean {
  return policy.semantic && question.trim() !== "" && request.messages[request.messages.length - 1]?.role === "user";
}
