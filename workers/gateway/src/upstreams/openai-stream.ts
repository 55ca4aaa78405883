/**
 * OpenAI-style chat SSE (`data: {chunk}` ... `data: [DONE]`) into validated chunks. Shared by
 * the openai-compatible adapter and SageMaker endpoints serving vLLM/LMI in OpenAI mode.
 * Spec: https://platform.openai.com/docs/api-reference/chat-streaming
 */
import { ChatCompletionChunkSchema, type ChatCompletionChunk } from "../../../../shared/schemas/openai-chat";
import type { SseEvent } from "../../../../shared/sse";
import { describeStreamError, parseJsonEvent, parseOrThrow, streamError } from "./http";

/**
 * Stops at `[DONE]`. A stream that ends without `[DONE]` is accepted as finished, because
 * several compatible servers omit the sentinel. Errors mid-stream are reported by OpenAI as
 * `{"error":{...}}` and by vLLM as `{"object":"error","message":...}`; both fail the stream.
 */
export async function* openAIChunksFromSse(events: AsyncIterable<SseEvent>, provider: string): AsyncGenerator<ChatCompletionChunk> {
  for await (const event of events) {
    const data = event.data.trim();
    if (data === "[DONE]") return;
    if (data === "") continue;
    const value = parseJsonEvent(data, provider);
    throwIfErrorEvent(value, provider);
    yield parseOrThrow(ChatCompletionChunkSchema, value, provider, "stream");
  }
}

function throwIfErrorEvent(value: unknown, provider: string): void {
  if (!value || typeof value !== "object") return;
  const error = "error" in value ? value.error : "object" in value && value.object === "error" ? value : undefined;
  if (error === undefined) return;
  throw streamError(`${provider} stream failed: ${describeStreamError(error)}`);
}
