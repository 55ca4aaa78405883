/**
 * Server-Sent Events both ways. Parsing uses eventsource-parser (WHATWG-conformant, handles
 * events split across network chunks); encoding is one line per field.
 * Spec: https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
import { EventSourceParserStream } from "eventsource-parser/stream";

export interface SseEvent {
  event?: string | undefined;
  data: string;
  id?: string | undefined;
}

/** Parses a byte stream of SSE into events. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const events = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
  const reader = events.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield { event: value.event, data: value.data, id: value.id };
    }
  } finally {
    reader.releaseLock();
  }
}

export function encodeSse(event: SseEvent): string {
  let out = "";
  if (event.event) out += `event: ${event.event}\n`;
  if (event.id) out += `id: ${event.id}\n`;
  for (const line of event.data.split("\n")) out += `data: ${line}\n`;
  return `${out}\n`;
}

/** OpenAI-style data-only event. */
export const sseData = (value: unknown): string => encodeSse({ data: JSON.stringify(value) });
export const SSE_DONE = "data: [DONE]\n\n";
