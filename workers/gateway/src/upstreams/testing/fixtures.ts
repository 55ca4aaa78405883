/**
 * Test support for adapter tests (imported only by *.test.ts): an injected fetch that records
 * calls and replays fixtures, so no test touches the network (guide: closed network in tests).
 */
import { readFileSync } from "node:fs";
import type { ChatCompletionChunk, ToolCall } from "../../../../../shared/schemas/openai-chat";
import type { OpenAIUsage } from "../../../../../shared/schemas/openai-chat";
import type { UpstreamCallContext } from "../upstream";

export interface RecordedCall {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

/** A fetch that answers every call with `respond` and remembers what was sent. */
export function recordingFetch(respond: (call: RecordedCall) => Response | Promise<Response>): {
  fetch: typeof fetch;
  calls: RecordedCall[];
} {
  const calls: RecordedCall[] = [];
  const fake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    init?.signal?.throwIfAborted();
    const text = req.body ? await req.text() : "";
    const call = { url: req.url, method: req.method, headers: req.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
    calls.push(call);
    return respond(call);
  };
  return { fetch: fake as typeof fetch, calls };
}

/** Reads `__fixtures__/<name>` next to the calling test (pass `import.meta.url`). */
export function fixtureText(testUrl: string, name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, testUrl), "utf8");
}

export function fixtureJson(testUrl: string, name: string): unknown {
  return JSON.parse(fixtureText(testUrl, name));
}

/** Bytes in small pieces (default 7) so tests exercise events split across network chunks. */
export function chunkedBody(text: string, pieceSize = 7): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + pieceSize));
      offset += pieceSize;
    },
  });
}

export const sseResponse = (text: string, init: ResponseInit = {}): Response =>
  new Response(chunkedBody(text), { status: 200, headers: { "content-type": "text/event-stream" }, ...init });

export const jsonResponse = (value: unknown, init: ResponseInit = {}): Response =>
  new Response(JSON.stringify(value), { status: 200, headers: { "content-type": "application/json" }, ...init });

/** The `data:` payloads of an OpenAI-style SSE capture, parsed, `[DONE]` excluded. */
export function sseDataValues(text: string): unknown[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith("data:") && l.slice(5).trim() !== "[DONE]")
    .map((l) => JSON.parse(l.slice(5)) as unknown);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export function testContext<C>(config: C, overrides: Partial<UpstreamCallContext<C>> = {}): UpstreamCallContext<C> {
  return {
    config,
    upstreamModel: "upstream-model",
    credential: "sk-test",
    signal: new AbortController().signal,
    bindings: {},
    fetch: (() => Promise.reject(new Error("unexpected network call"))) as typeof fetch,
    ...overrides,
  };
}

export interface Accumulated {
  content: string | null;
  toolCalls: ToolCall[];
  finishReason: string | null;
  usage: OpenAIUsage | null;
}

/** Folds a chunk stream into the message a non-streamed call would have returned. */
export function accumulate(chunks: readonly ChatCompletionChunk[]): Accumulated {
  let content: string | null = null;
  const toolCalls: ToolCall[] = [];
  let finishReason: string | null = null;
  let usage: OpenAIUsage | null = null;
  for (const chunk of chunks) {
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      if (choice.delta.content) content = (content ?? "") + choice.delta.content;
      if (choice.finish_reason) finishReason = choice.finish_reason;
      for (const d of choice.delta.tool_calls ?? []) {
        const call = (toolCalls[d.index] ??= { id: "", type: "function", function: { name: "", arguments: "" } });
        if (d.id) call.id = d.id;
        if (d.function?.name) call.function.name += d.function.name;
        if (d.function?.arguments) call.function.arguments += d.function.arguments;
      }
    }
  }
  return { content, toolCalls, finishReason, usage };
}
