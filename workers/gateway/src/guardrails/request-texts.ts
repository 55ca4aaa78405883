import type { ChatCompletionRequest, ChatMessage, MessageContent } from "../../../../shared/schemas/openai-chat";

/**
 * The one list of places in a chat request that hold text we act on: every message's content
 * (string or text parts, all roles), assistant tool-call arguments (JSON text) and tool results.
 * Redaction and invisible-character stripping both walk it, so a field added here is covered by
 * both. Image/audio/file parts pass through untouched.
 */
export interface TextVisitor {
  text(value: string): string;
  /** Tool-call arguments: JSON text, to be transformed without breaking it. */
  json(value: string): string;
}

function mapContent(c: MessageContent, v: TextVisitor): MessageContent {
  if (typeof c === "string") return v.text(c);
  return c.map((p) => (p.type === "text" && typeof p.text === "string" ? { ...p, text: v.text(p.text) } : p));
}

export function mapMessageTexts(m: ChatMessage, v: TextVisitor): ChatMessage {
  if (m.role === "assistant") {
    const content = m.content == null ? m.content : mapContent(m.content, v);
    const tool_calls = m.tool_calls?.map((tc) => ({ ...tc, function: { ...tc.function, arguments: v.json(tc.function.arguments) } }));
    return { ...m, content, ...(tool_calls ? { tool_calls } : {}) };
  }
  return { ...m, content: mapContent(m.content, v) } as ChatMessage;
}

/** A new request with every text mapped; the input is not mutated. */
export function mapRequestTexts(request: ChatCompletionRequest, v: TextVisitor): ChatCompletionRequest {
  return { ...request, messages: request.messages.map((m) => mapMessageTexts(m, v)) };
}
