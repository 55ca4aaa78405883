/**
 * OpenAI Chat Completions wire schemas: the single source of truth for what the gateway
 * accepts and returns on /v1/chat/completions. Unknown fields are passed through
 * (`.passthrough()` / `z.looseObject`) because providers add fields faster than we can name
 * them; what we name is what the gateway reads or guarantees.
 * Spec: https://platform.openai.com/docs/api-reference/chat
 */
import { z } from "zod";

export const MAX_MESSAGES = 2_048;
export const MAX_CONTENT_PARTS = 256;
export const MAX_TOKENS_CEILING = 1_000_000;

export const TextPartSchema = z.object({ type: z.literal("text"), text: z.string() }).passthrough();
export const ImagePartSchema = z
  .object({
    type: z.literal("image_url"),
    image_url: z.object({ url: z.string().max(20_000_000), detail: z.string().optional() }).passthrough(),
  })
  .passthrough();
/** Parts other than text/image (input_audio, file, refusal) are passed through untouched. */
export const OtherPartSchema = z
  .object({ type: z.string().min(1).max(64) })
  .passthrough()
  .refine((p) => p.type !== "text" && p.type !== "image_url", "malformed content part");
export const ContentPartSchema = z.union([TextPartSchema, ImagePartSchema, OtherPartSchema]);
export type ContentPart = z.infer<typeof ContentPartSchema>;

export const MessageContentSchema = z.union([z.string(), z.array(ContentPartSchema).max(MAX_CONTENT_PARTS)]);
export type MessageContent = z.infer<typeof MessageContentSchema>;

export const ToolCallSchema = z
  .object({
    id: z.string().max(512),
    type: z.literal("function"),
    function: z.object({ name: z.string().max(256), arguments: z.string() }),
  })
  .passthrough();
export type ToolCall = z.infer<typeof ToolCallSchema>;

const roleMessage = <R extends string>(role: R) => z.object({ role: z.literal(role), name: z.string().max(256).optional() });

export const SystemMessageSchema = roleMessage("system").extend({ content: MessageContentSchema }).passthrough();
export const DeveloperMessageSchema = roleMessage("developer").extend({ content: MessageContentSchema }).passthrough();
export const UserMessageSchema = roleMessage("user").extend({ content: MessageContentSchema }).passthrough();
export const AssistantMessageSchema = roleMessage("assistant")
  .extend({
    content: MessageContentSchema.nullable().optional(),
    tool_calls: z.array(ToolCallSchema).max(128).optional(),
    refusal: z.string().nullable().optional(),
  })
  .passthrough();
export const ToolMessageSchema = z
  .object({ role: z.literal("tool"), content: MessageContentSchema, tool_call_id: z.string().max(512) })
  .passthrough();

export const ChatMessageSchema = z.discriminatedUnion("role", [
  SystemMessageSchema,
  DeveloperMessageSchema,
  UserMessageSchema,
  AssistantMessageSchema,
  ToolMessageSchema,
]);
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const ToolSchema = z
  .object({
    type: z.literal("function"),
    function: z
      .object({
        name: z.string().min(1).max(256),
        description: z.string().optional(),
        parameters: z.record(z.string(), z.unknown()).optional(),
        strict: z.boolean().nullable().optional(),
      })
      .passthrough(),
  })
  .passthrough();
export type Tool = z.infer<typeof ToolSchema>;

/** "none" | "auto" | "required", one named function, or OpenAI's allowed_tools subset. */
const NamedFunctionSchema = z.object({ type: z.literal("function"), function: z.object({ name: z.string().min(1).max(256) }).passthrough() }).passthrough();
export const ToolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  NamedFunctionSchema,
  z
    .object({
      type: z.literal("allowed_tools"),
      allowed_tools: z.object({ mode: z.enum(["auto", "required"]), tools: z.array(NamedFunctionSchema).max(128) }).passthrough(),
    })
    .passthrough(),
]);
export type ToolChoice = z.infer<typeof ToolChoiceSchema>;

/** Predicted Outputs: text the answer is expected to repeat (OpenAI). */
export const PredictionSchema = z.object({ type: z.literal("content"), content: MessageContentSchema }).passthrough();

export const ResponseFormatSchema = z.union([
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    json_schema: z
      .object({
        name: z.string().max(256),
        schema: z.record(z.string(), z.unknown()).optional(),
        strict: z.boolean().nullable().optional(),
        description: z.string().optional(),
      })
      .passthrough(),
  }),
]);
export type ResponseFormat = z.infer<typeof ResponseFormatSchema>;

export const ChatCompletionRequestSchema = z
  .object({
    model: z.string().min(1).max(256),
    messages: z.array(ChatMessageSchema).min(1).max(MAX_MESSAGES),
    stream: z.boolean().nullable().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    n: z.number().int().min(1).max(16).nullable().optional(),
    max_tokens: z.number().int().min(1).max(MAX_TOKENS_CEILING).nullable().optional(),
    max_completion_tokens: z.number().int().min(1).max(MAX_TOKENS_CEILING).nullable().optional(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullable().optional(),
    presence_penalty: z.number().min(-2).max(2).nullable().optional(),
    frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
    seed: z.number().int().nullable().optional(),
    tools: z.array(ToolSchema).max(128).optional(),
    tool_choice: ToolChoiceSchema.optional(),
    parallel_tool_calls: z.boolean().optional(),
    response_format: ResponseFormatSchema.optional(),
    user: z.string().max(512).optional(),
    metadata: z.record(z.string(), z.string().max(512)).optional(),
    // OpenAI options an OpenAI-compatible upstream receives as they are (docs/guardrails.md, "Fields").
    logit_bias: z.record(z.string().regex(/^\d{1,10}$/, "token ids"), z.number().min(-100).max(100)).nullable().optional(),
    logprobs: z.boolean().nullable().optional(),
    top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
    reasoning_effort: z.enum(["none", "minimal", "low", "medium", "high", "xhigh"]).nullable().optional(),
    verbosity: z.enum(["low", "medium", "high"]).nullable().optional(),
    prediction: PredictionSchema.nullable().optional(),
    prompt_cache_retention: z.enum(["in-memory", "24h"]).nullable().optional(),
    /** End-user identifiers (OpenAI's successors of `user`): pseudonymized like `user`. */
    safety_identifier: z.string().max(512).optional(),
    prompt_cache_key: z.string().max(512).optional(),
  })
  .passthrough();
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

export const UsageSchema = z
  .object({
    prompt_tokens: z.number().int().nonnegative(),
    completion_tokens: z.number().int().nonnegative(),
    total_tokens: z.number().int().nonnegative(),
    prompt_tokens_details: z.object({ cached_tokens: z.number().int().nonnegative().optional() }).passthrough().nullable().optional(),
    completion_tokens_details: z
      .object({ reasoning_tokens: z.number().int().nonnegative().optional() })
      .passthrough()
      .nullable()
      .optional(),
  })
  .passthrough();
export type OpenAIUsage = z.infer<typeof UsageSchema>;

export const ChatCompletionResponseSchema = z
  .object({
    id: z.string(),
    object: z.literal("chat.completion"),
    created: z.number(),
    model: z.string(),
    choices: z.array(
      z
        .object({
          index: z.number().int(),
          message: z
            .object({
              role: z.literal("assistant"),
              content: z.string().nullable(),
              tool_calls: z.array(ToolCallSchema).optional(),
              refusal: z.string().nullable().optional(),
            })
            .passthrough(),
          finish_reason: z.string().nullable(),
        })
        .passthrough(),
    ),
    usage: UsageSchema.optional(),
  })
  .passthrough();
export type ChatCompletionResponse = z.infer<typeof ChatCompletionResponseSchema>;

export const ToolCallDeltaSchema = z
  .object({
    index: z.number().int(),
    id: z.string().optional(),
    type: z.literal("function").optional(),
    function: z.object({ name: z.string().optional(), arguments: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();
export type ToolCallDelta = z.infer<typeof ToolCallDeltaSchema>;

export const ChatCompletionChunkSchema = z
  .object({
    id: z.string(),
    object: z.literal("chat.completion.chunk"),
    created: z.number(),
    model: z.string(),
    choices: z.array(
      z
        .object({
          index: z.number().int(),
          delta: z
            .object({
              role: z.literal("assistant").optional(),
              content: z.string().nullable().optional(),
              tool_calls: z.array(ToolCallDeltaSchema).optional(),
              refusal: z.string().nullable().optional(),
            })
            .passthrough(),
          finish_reason: z.string().nullable().optional(),
        })
        .passthrough(),
    ),
    usage: UsageSchema.nullable().optional(),
  })
  .passthrough();
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunkSchema>;

/** Text of a message's content, parts joined; non-text parts contribute nothing. */
export function contentText(content: MessageContent | null | undefined): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  return content.map((p) => (p.type === "text" && typeof p.text === "string" ? p.text : "")).join("");
}

/** The last user turn's text: what the cache embeds and the router classifies. */
export function lastUserText(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role === "user") return contentText(m.content);
  }
  return "";
}
