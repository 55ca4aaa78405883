/**
 * Replays a cached (non-streamed) completion as an OpenAI SSE stream for `stream: true`
 * clients: a role chunk, content in a few slices, tool calls, the finish chunk, an optional
 * usage chunk with empty choices (what `stream_options.include_usage` produces), then [DONE].
 * https://platform.openai.com/docs/api-reference/chat-streaming
 */
import type { ChatCompletionChunk, ChatCompletionResponse } from "../../../../../shared/schemas/openai-chat";
import { SSE_DONE, sseData } from "../../../../../shared/sse";

/** Slices keep chunk sizes similar to a live stream without one event per character. */
const SLICE_CHARS = 64;

export interface ReplayOptions {
  includeUsage?: boolean;
}

export function replayChunks(response: ChatCompletionResponse, options: ReplayOptions = {}): ChatCompletionChunk[] {
  const base = { id: response.id, object: "chat.completion.chunk" as const, created: response.created, model: response.model };
  const chunks: ChatCompletionChunk[] = [];
  for (const choice of response.choices) {
    const { index, message } = choice;
    chunks.push({ ...base, choices: [{ index, delta: { role: "assistant", content: "" }, finish_reason: null }] });
    const content = message.content ?? "";
    for (let i = 0; i < content.length; i += SLICE_CHARS) {
      chunks.push({ ...base, choices: [{ index, delta: { content: content.slice(i, i + SLICE_CHARS) }, finish_reason: null }] });
    }
    if (message.refusal) chunks.push({ ...base, choices: [{ index, delta: { refusal: message.refusal }, finish_reason: null }] });
    (message.tool_calls ?? []).forEach((call, k) => {
      const delta = { tool_calls: [{ index: k, id: call.id, type: "function" as const, function: call.function }] };
      chunks.push({ ...base, choices: [{ index, delta, finish_reason: null }] });
    });
    chunks.push({ ...base, choices: [{ index, delta: {}, finish_reason: choice.finish_reason ?? "stop" }] });
  }
  if (options.includeUsage) chunks.push({ ...base, choices: [], usage: response.usage ?? null });
  return chunks;
}

export function replayAsSse(response: ChatCompletionResponse, options: ReplayOptions = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const events = [...replayChunks(response, options).map(sseData), SSE_DONE];
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = events[i++];
      if (next === undefined) controller.close();
      else controller.enqueue(encoder.encode(next));
    },
  });
}
