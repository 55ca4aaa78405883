/**
 * Restores document placeholders in a streamed grounded answer, for callers with content access
 * (the whole-answer path is attach-citations.ts). Only the client's SSE body is rewritten: the
 * relay has already accounted, traced and judged the answer with its placeholders, so no store
 * ever holds a document's clear value. A placeholder split across chunks is held back until it
 * is whole (at most one placeholder's worth of characters), then released restored; anything
 * still held when a choice finishes or the stream ends goes out before that chunk or `[DONE]`.
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import type { EventSourceMessage } from "eventsource-parser";
import { encodeSse } from "../../../../../shared/sse";
import { holdPartialPlaceholder } from "../../guardrails/redact/restore";
import type { AnswerRestorer } from "./grounded-placeholders";

interface StreamChoice {
  index?: unknown;
  delta?: { content?: unknown; [key: string]: unknown };
  finish_reason?: unknown;
  [key: string]: unknown;
}
interface StreamChunk {
  choices?: unknown;
  [key: string]: unknown;
}

function parseChunk(data: string): StreamChunk | null {
  try {
    const value: unknown = JSON.parse(data);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as StreamChunk) : null;
  } catch {
    return null;
  }
}

const isChoice = (c: unknown): c is StreamChoice => c !== null && typeof c === "object";

/** Per-choice held-back text, restored as it is released. */
class HeldText {
  private readonly held = new Map<number, string>();
  constructor(private readonly restore: AnswerRestorer) {}

  async choice(c: StreamChoice): Promise<StreamChoice> {
    const index = typeof c.index === "number" ? c.index : 0;
    const content = c.delta?.content;
    let text = typeof content === "string" ? (this.held.get(index) ?? "") + content : null;
    if (text !== null) {
      const split = holdPartialPlaceholder(text);
      this.held.set(index, split.held);
      text = split.ready;
    }
    if (c.finish_reason) {
      text = (text ?? "") + (this.held.get(index) ?? "");
      this.held.delete(index);
    }
    if (text === null) return c;
    return { ...c, delta: { ...c.delta, content: await this.restore(text) } };
  }

  /** Everything still held, as choices of one chunk shaped like the last one seen. */
  async release(template: StreamChunk): Promise<StreamChunk | null> {
    const pending = [...this.held].filter(([, text]) => text !== "");
    this.held.clear();
    if (pending.length === 0) return null;
    const choices = await Promise.all(pending.map(async ([index, text]) => ({ index, delta: { content: await this.restore(text) }, finish_reason: null })));
    return { ...template, choices, usage: undefined };
  }
}

export function restoreStreamedAnswer(response: Response, restore: AnswerRestorer): Response {
  const type = response.headers.get("content-type") ?? "";
  if (response.status !== 200 || !response.body || !type.startsWith("text/event-stream")) return response;
  const held = new HeldText(restore);
  const encoder = new TextEncoder();
  let template: StreamChunk = {};
  const releaseInto = async (controller: TransformStreamDefaultController<Uint8Array>): Promise<void> => {
    const tail = await held.release(template);
    if (tail) controller.enqueue(encoder.encode(encodeSse({ data: JSON.stringify(tail) })));
  };
  const rewrite = new TransformStream<EventSourceMessage, Uint8Array>({
    async transform(ev, controller) {
      const send = (data: string) => controller.enqueue(encoder.encode(encodeSse({ event: ev.event, id: ev.id, data })));
      const chunk = ev.data === "[DONE]" ? null : parseChunk(ev.data);
      if (!chunk || !Array.isArray(chunk.choices)) {
        // `[DONE]`, an error event or anything else: what is held goes out first, unchanged order.
        await releaseInto(controller);
        send(ev.data);
        return;
      }
      template = chunk;
      const choices = await Promise.all(chunk.choices.map(async (c: unknown) => (isChoice(c) ? held.choice(c) : c)));
      send(JSON.stringify({ ...chunk, choices }));
    },
    async flush(controller) {
      await releaseInto(controller);
    },
  });
  const body = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).pipeThrough(rewrite);
  return new Response(body, { status: response.status, headers: response.headers });
}
