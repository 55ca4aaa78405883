/**
 * Any server speaking OpenAI's Chat Completions / Embeddings wire format: vLLM, TensorRT-LLM's
 * OpenAI frontend, OpenAI itself. The request is forwarded nearly verbatim.
 * Spec: https://platform.openai.com/docs/api-reference/chat/create
 */
import { z } from "zod";
import { ChatCompletionResponseSchema, type ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { EmbeddingsResponseSchema } from "../../../../../shared/schemas/openai-embeddings";
import { fromOpenAIUsage } from "../../../../../shared/usage";
import { joinUrl, postJson, readJson, sseEvents } from "../http";
import { openAIChunksFromSse } from "../openai-stream";
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

/** OpenAI rejects `stream_options` unless `stream` is true, so it is dropped for plain calls. */
function plainBody(request: ChatCompletionRequest, ctx: Ctx): ChatCompletionRequest {
  const { stream_options: _dropped, ...rest } = request;
  return { ...rest, model: ctx.upstreamModel, stream: false };
}

/** `include_usage` is forced so the final chunk always carries usage for metering. */
function streamBody(request: ChatCompletionRequest, ctx: Ctx): ChatCompletionRequest {
  return { ...request, model: ctx.upstreamModel, stream: true, stream_options: { ...request.stream_options, include_usage: true } };
}

export const openAICompatibleUpstream: Upstream<OpenAICompatibleConfig> = {
  kind: "openai-compatible",
  configSchema: OpenAICompatibleConfigSchema,

  async chat(request, ctx) {
    const res = await post(ctx, "chat/completions", plainBody(request, ctx));
    const response = await readJson(res, ChatCompletionResponseSchema, PROVIDER);
    return { response, usage: response.usage ? fromOpenAIUsage(response.usage) : null };
  },

  async chatStream(request, ctx) {
    const res = await post(ctx, "chat/completions", streamBody(request, ctx));
    return { chunks: openAIChunksFromSse(sseEvents(res, ctx.signal, PROVIDER), PROVIDER) };
  },

  async embed(request, ctx) {
    const res = await post(ctx, "embeddings", { ...request, model: ctx.upstreamModel });
    return readJson(res, EmbeddingsResponseSchema, PROVIDER);
  },
};
