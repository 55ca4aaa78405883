/**
 * Anthropic Messages event stream -> OpenAI chat.completion.chunk stream.
 * Event flow (https://docs.anthropic.com/en/api/messages-streaming): message_start, then per
 * content block content_block_start / content_block_delta* / content_block_stop, then
 * message_delta (stop_reason, cumulative usage), message_stop; `ping` anywhere; `error` may
 * arrive instead of the rest. Output follows OpenAI: a role chunk, content and tool_call
 * deltas, a chunk with finish_reason, then a usage chunk with empty choices.
 */
import type { ChatCompletionChunk, ToolCallDelta } from "../../../../../shared/schemas/openai-chat";
import type { SseEvent } from "../../../../../shared/sse";
import { parseJsonEvent, parseOrThrow, streamError } from "../http";
import { nowSeconds, toFinishReason, toOpenAIUsageFromAnthropic } from "./from-anthropic";
import { AnthropicStreamEventSchema, KNOWN_STREAM_EVENTS, type AnthropicStreamEvent, type AnthropicUsage } from "./schemas";

const PROVIDER = "anthropic upstream";

interface StreamState {
  id: string;
  model: string;
  created: number;
  usage: Partial<AnthropicUsage>;
  stopReason: string | null;
  /** Anthropic content-block index -> OpenAI tool_calls index (tool calls are numbered from 0). */
  toolIndex: Map<number, number>;
}

type Delta = ChatCompletionChunk["choices"][number]["delta"];

function chunk(s: StreamState, delta: Delta, finishReason: string | null = null): ChatCompletionChunk {
  return { id: s.id, object: "chat.completion.chunk", created: s.created, model: s.model, choices: [{ index: 0, delta, finish_reason: finishReason }] };
}

export async function* anthropicToOpenAIChunks(events: AsyncIterable<SseEvent>, created = nowSeconds()): AsyncGenerator<ChatCompletionChunk> {
  const s: StreamState = { id: "", model: "", created, usage: {}, stopReason: null, toolIndex: new Map() };
  for await (const sse of events) {
    const event = parseEvent(sse);
    if (!event) continue;
    if (event.type === "message_stop") {
      yield chunk(s, {}, toFinishReason(s.stopReason));
      yield { ...chunk(s, {}), choices: [], usage: toOpenAIUsageFromAnthropic(s.usage) };
      return;
    }
    const out = translate(s, event);
    if (out) yield out;
  }
  throw streamError(`${PROVIDER} stream ended before message_stop`);
}

/** Unknown event types are skipped (Anthropic may add some); known ones must match the spec. */
function parseEvent(sse: SseEvent): AnthropicStreamEvent | null {
  const raw = parseJsonEvent(sse.data, PROVIDER);
  const type = raw && typeof raw === "object" && "type" in raw ? raw.type : undefined;
  if (typeof type !== "string" || !KNOWN_STREAM_EVENTS.has(type)) return null;
  return parseOrThrow(AnthropicStreamEventSchema, raw, PROVIDER, "stream");
}

function translate(s: StreamState, event: AnthropicStreamEvent): ChatCompletionChunk | null {
  switch (event.type) {
    case "message_start":
      s.id = event.message.id;
      s.model = event.message.model;
      s.usage = { ...event.message.usage };
      return chunk(s, { role: "assistant", content: "" });
    case "content_block_start":
      return blockStart(s, event);
    case "content_block_delta":
      return blockDelta(s, event);
    case "message_delta":
      s.stopReason = event.delta.stop_reason ?? s.stopReason;
      // Cumulative counts: later values replace earlier ones, absent ones keep message_start's.
      s.usage = { ...s.usage, ...definedOnly(event.usage ?? {}) };
      return null;
    case "error":
      throw streamError(`${PROVIDER} stream failed: ${event.error.type}: ${event.error.message.slice(0, 300)}`);
    default:
      return null; // ping, content_block_stop
  }
}

function blockStart(s: StreamState, event: Extract<AnthropicStreamEvent, { type: "content_block_start" }>): ChatCompletionChunk | null {
  const block = event.content_block;
  if (block.type === "text" && "text" in block && typeof block.text === "string") return block.text ? chunk(s, { content: block.text }) : null;
  if (block.type !== "tool_use" || !("id" in block) || !("name" in block)) return null; // thinking etc.
  const index = s.toolIndex.size;
  s.toolIndex.set(event.index, index);
  const call: ToolCallDelta = { index, id: String(block.id), type: "function", function: { name: String(block.name), arguments: "" } };
  return chunk(s, { tool_calls: [call] });
}

function blockDelta(s: StreamState, event: Extract<AnthropicStreamEvent, { type: "content_block_delta" }>): ChatCompletionChunk | null {
  const d = event.delta;
  if (d.type === "text_delta" && "text" in d && typeof d.text === "string") return chunk(s, { content: d.text });
  if (d.type !== "input_json_delta" || !("partial_json" in d) || typeof d.partial_json !== "string" || !d.partial_json) return null;
  const index = s.toolIndex.get(event.index);
  if (index === undefined) throw streamError(`${PROVIDER} sent input_json_delta for an unknown block`);
  return chunk(s, { tool_calls: [{ index, function: { arguments: d.partial_json } }] });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v != null)) as Partial<T>;
}
