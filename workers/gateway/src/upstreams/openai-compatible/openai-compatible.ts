/**
 * Any server speaking OpenAI's Chat Completions / Embeddings wire format: vLLM, TensorRT-LLM's
 * OpenAI frontend, OpenAI itself. The body carries the forwarded fields only (openai-wire.ts).
 * Spec: https://platform.openai.com/docs/api-reference/chat/create
 */
import { z } from "zod";
import { ChatCompletionResponseSchema } from "../../../../../shared/schemas/openai-chat";
import { EmbeddingsResponseSchema, type EmbeddingsRequest } from "../../../../../shared/schemas/openai-embeddings";
import { fromOpenAIUsage } from "../../../../../shared/usage";
import { joinUrl, postJson, readJson, sseEvents } from "../http";
import { openAIChunksFromSse } from "../openai-stream";
import { openAIChatBody } from "../openai-wire";
import type { Upstream, UpstreamCallContext } from "../upstream";

export const OpenAICompatibleConfigSchema = z.object({
  kind: z.literal("openai-compatible"),
  /** Up to and including the version segment, e.g. http://127.0.0.1:8000/v1 */
  baseUrl: z.url(),
  /** Extra static headers (e.g. OpenAI-Organization); secrets belong in the credential. */
  headers: z.record(z.string(), z.string()).optional(),
});
export type OpenAICompatibleConfig = z.infer<typeof OpenAICompatibleConfigSchema>;

type Ctx = UpstreamCallContext<OpenAICompatibleConfig>;
const PROVIDER = "openai-compatible upstream";

function post(ctx: Ctx, path: string, body: unknown): Promise<Response> {
  const auth: Record<string, string> = ctx.credential ? { authorization: `Bearer ${ctx.credential}` } : {};
  return postJson(ctx, { url: joinUrl(ctx.config.baseUrl, path), body, headers: { ...ctx.config.headers, ...auth }, provider: PROVIDER });
}

/** The Embeddings fields, by name; `user` arrives as the gateway's pseudonym. */
function embeddingsBody(request: EmbeddingsRequest, ctx: Ctx): Record<string, unknown> {
  const { input, encoding_format, dimensions, user } = request;
  return { model: ctx.upstreamModel, input, ...(encoding_format ? { encoding_format } : {}), ...(dimensions ? { dimensions } : {}), ...(user ? { user } : {}) };
}

export const openAICompatibleUpstream: Upstream<OpenAICompatibleConfig> = {
  kind: "openai-compatible",
  configSchema: OpenAICompatibleConfigSchema,

  async chat(request, ctx) {
    const res = await post(ctx, "chat/completions", openAIChatBody(request, ctx.upstreamModel, false));
    const response = await readJson(res, ChatCompletionResponseSchema, PROVIDER);
    return { response, usage: response.usage ? fromOpenAIUsage(response.usage) : null };
  },

  async chatStream(request, ctx) {
    const res = await post(ctx, "chat/completions", openAIChatBody(request, ctx.upstreamModel, true, ctx.continueFinalMessage));
    return { chunks: openAIChunksFromSse(sseEvents(res, ctx.signal, PROVIDER), PROVIDER) };
  },

  async embed(request, ctx) {
    const res = await post(ctx, "embeddings", embeddingsBody(request, ctx));
    return readJson(res, EmbeddingsResponseSchema, PROVIDER);
  },
};
