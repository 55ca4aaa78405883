/**
 * InvokeEndpointWithResponseStream output -> OpenAI chunks. The event stream carries
 * `PayloadPart.Bytes` (arbitrary slices of what the container wrote: SSE lines may be split
 * across parts, so bytes are re-assembled by the SSE parser) or a modeled error
 * (ModelStreamError, InternalStreamFailure).
 * Spec: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_ResponseStream.html
 */
import type { ResponseStream } from "@aws-sdk/client-sagemaker-runtime";
import type { ChatCompletionChunk } from "../../../../../shared/schemas/openai-chat";
import type { SseEvent } from "../../../../../shared/sse";
import { parseJsonEvent, parseOrThrow, sseEventsFromBody, streamError } from "../http";
import { PROVIDER, sagemakerError } from "./client";
import { completionId, TgiStreamErrorSchema, TgiStreamEventSchema, tgiFinishReason } from "./tgi";

/** Payload parts as a byte stream; SDK and modeled stream errors become stream UpstreamErrors. */
export function payloadBytes(parts: AsyncIterable<ResponseStream>, signal: AbortSignal): ReadableStream<Uint8Array> {
  const iterator = parts[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: IteratorResult<ResponseStream>;
      try {
        next = await iterator.next();
      } catch (err) {
        throw sagemakerError(err, signal, true);
      }
      if (next.done) return controller.close();
      const part = next.value;
      if (part.PayloadPart?.Bytes) controller.enqueue(part.PayloadPart.Bytes);
      const failure = part.ModelStreamError ?? part.InternalStreamFailure;
      if (failure) throw sagemakerError(failure, signal, true);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

export const payloadEvents = (parts: AsyncIterable<ResponseStream>, signal: AbortSignal): AsyncGenerator<SseEvent> =>
  sseEventsFromBody(payloadBytes(parts, signal), signal, PROVIDER);

/**
 * TGI /generate_stream events: one token per event; the last carries generated_text and
 * details.finish_reason. Special tokens (e.g. `</s>`) are not text and are dropped.
 */
export async function* tgiChunks(events: AsyncIterable<SseEvent>, model: string, created: number): AsyncGenerator<ChatCompletionChunk> {
  const id = completionId();
  const chunk = (delta: ChatCompletionChunk["choices"][number]["delta"], finish: string | null = null): ChatCompletionChunk => ({
    id,
    object: "chat.completion.chunk",
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  let started = false;
  for await (const sse of events) {
    const raw = parseJsonEvent(sse.data, PROVIDER);
    const failure = TgiStreamErrorSchema.safeParse(raw);
    if (failure.success) throw streamError(`${PROVIDER} stream failed: ${failure.data.error.slice(0, 300)}`);
    const event = parseOrThrow(TgiStreamEventSchema, raw, PROVIDER, "stream");
    // The role chunk waits for the first valid event, so an immediate failure is still pre-commit.
    if (!started) yield chunk({ role: "assistant", content: "" });
    started = true;
    if (!event.token.special && event.token.text) yield chunk({ content: event.token.text });
    if (event.details) {
      yield chunk({}, tgiFinishReason(event.details.finish_reason));
      return;
    }
  }
  throw streamError(`${PROVIDER} tgi stream ended without details`);
}
