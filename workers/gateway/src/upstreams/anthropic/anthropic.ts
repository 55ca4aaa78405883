/**
 * Anthropic Messages API adapter: translates OpenAI Chat Completions both ways.
 * Spec: https://docs.anthropic.com/en/api/messages ; versioning: https://docs.anthropic.com/en/api/versioning
 */
import { z } from "zod";
import { fromOpenAIUsage } from "../../../../../shared/usage";
import { joinUrl, postJson, readJson, sseEvents } from "../http";
import type { Upstream, UpstreamCallContext } from "../upstream";
import { toChatCompletion } from "./from-anthropic";
import { AnthropicResponseSchema } from "./schemas";
import { anthropicToOpenAIChunks } from "./stream";
import { toAnthropicRequest } from "./to-anthropic";

export const AnthropicConfigSchema = z.object({
  kind: z.literal("anthropic"),
  baseUrl: z.url().default("https://api.anthropic.com/v1"),
  /** Used when the client sends no max_tokens (Anthropic requires one). */
  defaultMaxTokens: z.number().int().positive().optional(),
  /** `anthropic-version` header; 2023-06-01 is the current stable version. */
  version: z.string().default("2023-06-01"),
});
export type AnthropicConfig = z.infer<typeof AnthropicConfigSchema>;

type Ctx = UpstreamCallContext<AnthropicConfig>;
const PROVIDER = "anthropic upstream";

function post(ctx: Ctx, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { "anthropic-version": ctx.config.version };
  if (ctx.credential) headers["x-api-key"] = ctx.credential;
  return postJson(ctx, { url: joinUrl(ctx.config.baseUrl, "messages"), body, headers, provider: PROVIDER });
}

export const anthropicUpstream: Upstream<AnthropicConfig> = {
  kind: "anthropic",
  configSchema: AnthropicConfigSchema,

  async chat(request, ctx) {
    const body = toAnthropicRequest(request, ctx.upstreamModel, ctx.config.defaultMaxTokens);
    const res = await post(ctx, body);
    const response = toChatCompletion(await readJson(res, AnthropicResponseSchema, PROVIDER));
    return { response, usage: response.usage ? fromOpenAIUsage(response.usage) : null };
  },

  async chatStream(request, ctx) {
    const body = { ...toAnthropicRequest(request, ctx.upstreamModel, ctx.config.defaultMaxTokens), stream: true };
    const res = await post(ctx, body);
    return { chunks: anthropicToOpenAIChunks(sseEvents(res, ctx.signal, PROVIDER)) };
  },
};
