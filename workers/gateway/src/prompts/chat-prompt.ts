/**
 * A chat request may send `"prompt": {"id", "version" | "label", "variables"}` instead of, or
 * before, `messages`. The template is rendered first, as the first stage after parsing, so the
 * rendered text (template and variable values alike) is what redaction, injection screening,
 * the cache, the router and the upstream see: a variable holding PII is redacted like any
 * message. The prompt id and version go into the trace (decisions.prompt) and the usage event
 * (the evaluator writes them to the ledger), and `prompt` itself never reaches an upstream.
 */
import { z } from "zod";
import { GatewayError } from "../../../../shared/errors";
import { ChatCompletionRequestSchema, ChatMessageSchema, MAX_MESSAGES, type ChatCompletionRequest, type ChatMessage } from "../../../../shared/schemas/openai-chat";
import type { ChatExchange } from "../chat/exchange";
import { renderPrompt } from "./render-prompt";
import { PromptReferenceSchema, type PromptReference } from "./schemas";

/** The chat body as the route parses it: messages become optional when a prompt is sent. */
export const ChatBodySchema = ChatCompletionRequestSchema.extend({
  messages: z.array(ChatMessageSchema).max(MAX_MESSAGES).optional(),
  prompt: PromptReferenceSchema.optional(),
})
  .passthrough()
  .refine((b) => b.prompt !== undefined || (b.messages?.length ?? 0) > 0, { message: "send messages, a prompt, or both", path: ["messages"] });
export type ChatBody = z.output<typeof ChatBodySchema>;

/**
 * ChatBodySchema as the OpenAPI document states it: JSON Schema cannot say "messages or prompt"
 * through a refinement, so the two accepted shapes are spelled as alternatives.
 */
export const ChatBodyWireSchema = z.union([
  ChatCompletionRequestSchema.extend({ prompt: PromptReferenceSchema.optional() }),
  ChatCompletionRequestSchema.extend({ messages: z.array(ChatMessageSchema).max(MAX_MESSAGES).optional(), prompt: PromptReferenceSchema }),
]);

/** The body minus `prompt`, as the rest of the pipeline expects it (messages may still be empty). */
export function chatRequestOf(body: ChatBody): { request: ChatCompletionRequest; prompt: PromptReference | null } {
  const { prompt, messages, ...rest } = body;
  return { request: { ...rest, messages: messages ?? [] } as ChatCompletionRequest, prompt: prompt ?? null };
}

/**
 * Renders the reference and puts its messages before the request's own. A prompt tied to a
 * feature serves only requests of that feature (its budgets and policies must apply).
 */
export async function applyPrompt(ex: ChatExchange, ref: PromptReference, db: D1Database): Promise<ChatCompletionRequest> {
  const rendered = await renderPrompt(db, ex.auth, ref, "prompt");
  if (rendered.feature !== null && rendered.feature !== ex.feature) {
    throw new GatewayError("invalid_request", `Prompt ${JSON.stringify(rendered.id)} belongs to feature ${JSON.stringify(rendered.feature)}: send X-Feature: ${rendered.feature} (or metadata.feature).`, { param: "metadata.feature", code: "prompt_feature_mismatch" });
  }
  const messages: ChatMessage[] = rendered.messages.map((m) => ({ role: m.role, content: m.content }));
  const request = { ...ex.original, messages: [...messages, ...ex.original.messages] };
  if (request.messages.length > MAX_MESSAGES) throw new GatewayError("invalid_request", `The prompt and messages together exceed ${MAX_MESSAGES} messages.`, { param: "messages" });
  ex.original = request;
  ex.request = request;
  ex.prompt = { id: rendered.id, version: rendered.version };
  ex.decisions.prompt = { id: rendered.id, version: rendered.version, label: rendered.label };
  return request;
}
