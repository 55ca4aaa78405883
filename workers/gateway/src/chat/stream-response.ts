/**
 * Relays an upstream chunk stream to the client as OpenAI SSE. Text and tool-call arguments
 * pass through per-channel output filters (placeholder restore); the usage-only chunk is
 * forwarded only when the client asked for `stream_options.include_usage` (we always ask the
 * upstream for it, so streamed and non-streamed exchanges are accounted identically). A
 * failure after the first byte ends the stream with an OpenAI-style error event.
 *
 * How a stream ended decides how it is booked: a client that disconnects is a cancellation
 * (499 `client_closed`, nginx's code for it), billed for what was generated, and neither an
 * upstream error in usage reports nor a failure for the circuit breaker; a stream the upstream
 * cut is a 502 `stream_interrupted`.
 */
import type { ChatCompletionChunk } from "../../../../shared/schemas/openai-chat";
import { SSE_DONE, sseData } from "../../../../shared/sse";
import { fromOpenAIUsage, type TokenUsage } from "../../../../shared/usage";
import type { OpenStream } from "../router/attempts/run-attempts";
import type { OutputFilter, TextFilter } from "./output-filter";

export interface StreamOutcome {
  usage: TokenUsage | null;
  /** Final answer text per choice (after filters), for accounting and the judge. */
  text: string;
  toolCallArgs: string;
  ttftMs: number | null;
  /** The last finish_reason the upstream sent (stop, length, tool_calls...). */
  finishReason: string | null;
  completedAt: number;
  error: string | null;
  /** Who ended it: the upstream (or us) normally or with an error, or the client by leaving. */
  endedBy: "upstream" | "client";
}

/** The status a stream's usage event carries (the client saw 200 headers either way). */
export function bookedStatus(o: Pick<StreamOutcome, "error" | "endedBy">): { status: number; errorCode: string | null } {
  if (o.endedBy === "client") return { status: 499, errorCode: "client_closed" };
  return o.error ? { status: 502, errorCode: "stream_interrupted" } : { status: 200, errorCode: null };
}

export interface RelayOptions {
  publicModel: string;
  includeUsage: boolean;
  filter: OutputFilter;
  startedAt: number;
}

export function relayStream(open: OpenStream, opts: RelayOptions): { body: ReadableStream<Uint8Array>; outcome: Promise<StreamOutcome> } {
  const encoder = new TextEncoder();
  let resolveOutcome: (o: StreamOutcome) => void = () => undefined;
  const outcome = new Promise<StreamOutcome>((r) => (resolveOutcome = r));
  const state = new ChannelState(opts.filter);
  let ttftMs: number | null = null;
  let usage: TokenUsage | null = null;
  let finishReason: string | null = null;

  const settle = (error: string | null, endedBy: StreamOutcome["endedBy"] = "upstream") =>
    resolveOutcome({ usage, text: state.text(), toolCallArgs: state.toolArgs(), ttftMs, finishReason, completedAt: Date.now(), error, endedBy });
  let pending: IteratorResult<ChatCompletionChunk> | null = { done: false, value: open.first };
  // Pull-based: the upstream is read only as fast as the client takes chunks, so a slow reader
  // holds back the model's stream instead of making the whole answer pile up in memory.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const send = (s: string) => controller.enqueue(encoder.encode(s));
      try {
        // Until something is sent (a chunk can filter down to nothing) or the upstream ends.
        for (;;) {
          const next: IteratorResult<ChatCompletionChunk> = pending ?? (await open.rest.next());
          pending = null;
          if (next.done) {
            const tail = state.flush(opts.publicModel, open.first);
            if (tail) send(sseData(tail));
            send(SSE_DONE);
            controller.close();
            settle(null);
            return;
          }
          const chunk = next.value;
          if (chunk.usage) usage = fromOpenAIUsage(chunk.usage);
          finishReason = chunk.choices.find((ch) => ch.finish_reason)?.finish_reason ?? finishReason;
          const out = state.apply(chunk, opts.publicModel);
          if (out.choices.length > 0 || (opts.includeUsage && chunk.usage)) {
            if (ttftMs === null) ttftMs = Date.now() - opts.startedAt;
            send(sseData(opts.includeUsage ? out : { ...out, usage: undefined }));
            return;
          }
        }
      } catch (err) {
        send(sseData({ error: { message: "The upstream stream failed after it started; the answer is incomplete.", type: "api_error", code: "stream_interrupted", param: null } }));
        controller.close();
        settle(err instanceof Error ? err.message : "stream failed");
      }
    },
    cancel() {
      // Settled before the abort: the aborted read that follows must not book it as an upstream cut.
      settle("client disconnected", "client");
      open.abort();
    },
  });
  return { body, outcome };
}

/** Per-channel filters and accumulated text; held-back filter text is flushed at the end. */
class ChannelState {
  private readonly channels = new Map<string, { filter: TextFilter; text: string }>();
  constructor(private readonly filter: OutputFilter) {}

  private channel(key: string) {
    let ch = this.channels.get(key);
    if (!ch) this.channels.set(key, (ch = { filter: this.filter.stream(), text: "" }));
    return ch;
  }

  private pass(key: string, delta: string): string {
    const ch = this.channel(key);
    const out = ch.filter.push(delta);
    ch.text += out;
    return out;
  }

  apply(chunk: ChatCompletionChunk, publicModel: string): ChatCompletionChunk {
    const choices = chunk.choices.map((choice) => {
      const delta = { ...choice.delta };
      if (typeof delta.content === "string") delta.content = this.pass(`c${choice.index}`, delta.content);
      if (delta.tool_calls) {
        delta.tool_calls = delta.tool_calls.map((tc) =>
          tc.function?.arguments === undefined ? tc : { ...tc, function: { ...tc.function, arguments: this.pass(`t${choice.index}.${tc.index}`, tc.function.arguments) } },
        );
      }
      if (choice.finish_reason) this.flushChoice(choice.index, delta);
      return { ...choice, delta };
    });
    return { ...chunk, model: publicModel, choices };
  }

  /** At a choice's finish, release what its filters held back into the same delta. */
  private flushChoice(index: number, delta: ChatCompletionChunk["choices"][number]["delta"]): void {
    for (const [key, ch] of this.channels) {
      if (key !== `c${index}` && !key.startsWith(`t${index}.`)) continue;
      const rest = ch.filter.flush();
      if (!rest) continue;
      ch.text += rest;
      if (key[0] === "c") delta.content = (delta.content ?? "") + rest;
      else delta.tool_calls = [...(delta.tool_calls ?? []), { index: Number(key.split(".")[1]), function: { arguments: rest } }];
    }
  }

  /** Text a filter still held back when the stream ended without a finish_reason. */
  flush(publicModel: string, template: ChatCompletionChunk): ChatCompletionChunk | null {
    const choices: ChatCompletionChunk["choices"] = [];
    for (const [key, ch] of this.channels) {
      const rest = ch.filter.flush();
      if (!rest) continue;
      ch.text += rest;
      const [kind, idx] = [key[0], key.slice(1)];
      const [choiceIdx, toolIdx] = idx.split(".").map(Number);
      const delta = kind === "c" ? { content: rest } : { tool_calls: [{ index: toolIdx ?? 0, function: { arguments: rest } }] };
      choices.push({ index: choiceIdx ?? 0, delta, finish_reason: null });
    }
    return choices.length ? { id: template.id, object: "chat.completion.chunk", created: template.created, model: publicModel, choices } : null;
  }

  text(): string {
    return [...this.channels].filter(([k]) => k.startsWith("c")).map(([, ch]) => ch.text).join("");
  }

  toolArgs(): string {
    return [...this.channels].filter(([k]) => k.startsWith("t")).map(([, ch]) => ch.text).join("");
  }
}
