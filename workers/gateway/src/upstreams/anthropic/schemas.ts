/**
 * Anthropic Messages API wire shapes: the request we build (types only) and zod schemas for
 * everything we read back. Unknown block/event types are tolerated, per Anthropic's
 * versioning policy ("we may add new event types... your code should handle unknown events").
 * Spec: https://docs.anthropic.com/en/api/messages and https://docs.anthropic.com/en/api/messages-streaming
 */
import { z } from "zod";

export type AnthropicImageSource = { type: "base64"; media_type: string; data: string } | { type: "url"; url: string };

export type AnthropicContentBlock =
  | { type: "text"; text: string }
  | { type: "image"; source: AnthropicImageSource }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> }
  | { type: "tool_result"; tool_use_id: string; content: string };

export interface AnthropicMessage {
  role: "user" | "assistant";
  content: AnthropicContentBlock[];
}

export type AnthropicToolChoice =
  | { type: "auto" | "any"; disable_parallel_tool_use?: boolean }
  | { type: "tool"; name: string; disable_parallel_tool_use?: boolean }
  | { type: "none" };

export interface AnthropicRequest {
  model: string;
  max_tokens: number;
  messages: AnthropicMessage[];
  system?: string;
  tools?: { name: string; description?: string; input_schema: Record<string, unknown> }[];
  tool_choice?: AnthropicToolChoice;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  metadata?: { user_id: string };
  stream?: boolean;
}

/** `input_tokens` excludes cache reads and writes; the three add up to the whole prompt. */
export const AnthropicUsageSchema = z.looseObject({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cache_creation_input_tokens: z.number().int().nonnegative().nullish(),
  cache_read_input_tokens: z.number().int().nonnegative().nullish(),
});
export type AnthropicUsage = z.infer<typeof AnthropicUsageSchema>;

const TextBlockSchema = z.looseObject({ type: z.literal("text"), text: z.string() });
const ToolUseBlockSchema = z.looseObject({
  type: z.literal("tool_use"),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
});
/** thinking, redacted_thinking, server tool blocks...: read past, never forwarded. */
const OtherBlockSchema = z
  .looseObject({ type: z.string() })
  .refine((b) => b.type !== "text" && b.type !== "tool_use", "malformed content block");
export const ResponseBlockSchema = z.union([TextBlockSchema, ToolUseBlockSchema, OtherBlockSchema]);

export const AnthropicResponseSchema = z.looseObject({
  id: z.string(),
  type: z.literal("message"),
  role: z.literal("assistant"),
  model: z.string(),
  content: z.array(ResponseBlockSchema),
  stop_reason: z.string().nullable(),
  stop_sequence: z.string().nullish(),
  usage: AnthropicUsageSchema,
});
export type AnthropicResponse = z.infer<typeof AnthropicResponseSchema>;

const MessageStartSchema = z.looseObject({
  type: z.literal("message_start"),
  message: z.looseObject({ id: z.string(), model: z.string(), usage: AnthropicUsageSchema }),
});
const BlockStartSchema = z.looseObject({
  type: z.literal("content_block_start"),
  index: z.number().int(),
  content_block: ResponseBlockSchema,
});
const BlockDeltaSchema = z.looseObject({
  type: z.literal("content_block_delta"),
  index: z.number().int(),
  delta: z.union([
    z.looseObject({ type: z.literal("text_delta"), text: z.string() }),
    z.looseObject({ type: z.literal("input_json_delta"), partial_json: z.string() }),
    z.looseObject({ type: z.string() }).refine((d) => d.type !== "text_delta" && d.type !== "input_json_delta", "malformed delta"),
  ]),
});
/** Usage here is cumulative; recent API versions also repeat input and cache counts. */
const MessageDeltaSchema = z.looseObject({
  type: z.literal("message_delta"),
  delta: z.looseObject({ stop_reason: z.string().nullish() }),
  usage: AnthropicUsageSchema.partial().nullish(),
});
const ErrorEventSchema = z.looseObject({
  type: z.literal("error"),
  error: z.looseObject({ type: z.string(), message: z.string() }),
});
const SimpleEventSchema = z.looseObject({ type: z.enum(["content_block_stop", "message_stop", "ping"]) });

export const AnthropicStreamEventSchema = z.discriminatedUnion("type", [
  MessageStartSchema,
  BlockStartSchema,
  BlockDeltaSchema,
  MessageDeltaSchema,
  ErrorEventSchema,
  SimpleEventSchema,
]);
export type AnthropicStreamEvent = z.infer<typeof AnthropicStreamEventSchema>;
export const KNOWN_STREAM_EVENTS: ReadonlySet<string> = new Set([
  "message_start",
  "content_block_start",
  "content_block_delta",
  "content_block_stop",
  "message_delta",
  "message_stop",
  "ping",
  "error",
]);
