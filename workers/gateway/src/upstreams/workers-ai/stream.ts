/**
 * Streamed Workers AI run (ReadableStream of SSE `data: {"response": "..."}` ... `data: [DONE]`)
 * -> OpenAI chunks: role chunk, content deltas, tool_calls (each complete in one delta), a
 * finish chunk and, when the model reported usage, a usage chunk.
 */
import type { ChatCompletionChunk, OpenAIUsage } from "../../../../../shared/schemas/openai-chat";
import type { SseEvent } from "../../../../../shared/sse";
import { describeStreamError, parseJsonEvent, parseOrThrow, streamError } from "../http";
import { WorkersAIStreamEventSchema, type WorkersAIUsage } from "../../../../../shared/schemas/workers-ai";
import { finishReason, newId, toToolCall, toUsage } from "./translate";

const PROVIDER = "workers-ai upstream";

export async function* workersAIChunks(
  events: AsyncIterable<SseEvent>,
  opts: { model: string; created: number; maxTokens: number | null | undefined },
): AsyncGenerator<ChatCompletionChunk> {
  const id = newId("chatcmpl-");
  const chunk = (delta: ChatCompletionChunk["choices"][number]["delta"], finish: string | null = null): ChatCompletionChunk => ({
    id,
    object: "chat.completion.chunk",
    created: opts.created,
    model: opts.model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  let started = false;
  let toolCount = 0;
  let usage: WorkersAIUsage | null = null;
  for await (const sse of events) {
    if (sse.data.trim() === "[DONE]") break;
    const raw = parseJsonEvent(sse.data, PROVIDER);
    if (raw && typeof raw === "object" && "error" in raw) throw streamError(`${PROVIDER} stream failed: ${describeStreamError(raw.error)}`);
    const event = parseOrThrow(WorkersAIStreamEventSchema, raw, PROVIDER, "stream");
    if (!started) yield chunk({ role: "assistant", content: "" });
    started = true;
    if (event.response) yield chunk({ content: event.response });
    for (const call of event.tool_calls ?? []) {
      const { id: callId, function: fn } = toToolCall(call);
      yield chunk({ tool_calls: [{ index: toolCount++, id: callId, type: "function", function: fn }] });
    }
    if (event.usage) usage = event.usage;
  }
  if (!started) throw streamError(`${PROVIDER} stream ended without output`);
  yield chunk({}, finishReason(toolCount > 0, usage, opts.maxTokens));
  if (usage) yield usageChunk(chunk({}), toUsage(usage));
}

const usageChunk = (base: ChatCompletionChunk, usage: OpenAIUsage): ChatCompletionChunk => ({ ...base, choices: [], usage });
