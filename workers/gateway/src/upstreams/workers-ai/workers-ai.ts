/**
 * Cloudflare Workers AI through the `AI` binding: `env.AI.run(model, inputs, {signal})`.
 * No credential: the binding is the account. Errors thrown by the binding carry Workers AI's
 * numeric codes in the message (https://developers.cloudflare.com/workers-ai/platform/errors/).
 */
import { z } from "zod";
import { fromOpenAIUsage } from "../../../../../shared/usage";
import { networkError, parseOrThrow, raceAbort, sseEventsFromBody } from "../http";
import { UpstreamError, type Upstream, type UpstreamCallContext } from "../upstream";
import { WorkersAIOutputSchema } from "../../../../../shared/schemas/workers-ai";
import { workersAIChunks } from "./stream";
import { toChatCompletion, toWorkersAIInputs } from "./translate";

export const WorkersAIConfigSchema = z.object({ kind: z.literal("workers-ai") });
export type WorkersAIConfig = z.infer<typeof WorkersAIConfigSchema>;

type Ctx = UpstreamCallContext<WorkersAIConfig>;
const PROVIDER = "workers-ai upstream";
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Error codes from the Workers AI errors page, by how the executor should treat them. */
const RETRYABLE_CODES: Record<string, number> = { "3040": 429, "3036": 429, "3007": 408, "3043": 500, "3030": 500 };
const CLIENT_CODES = ["5006", "5007", "5004", "3003", "3006", "5016", "5018"];

export function workersAIError(err: unknown, signal: AbortSignal): UpstreamError {
  if (err instanceof UpstreamError || signal.aborted || !(err instanceof Error)) return networkError(err, signal, PROVIDER, true);
  const code = /\b(\d{4})\b/.exec(err.message)?.[1];
  const message = `${PROVIDER}: ${err.message.slice(0, 300)}`;
  if (code && RETRYABLE_CODES[code]) return new UpstreamError(message, { status: RETRYABLE_CODES[code], cause: err });
  if (code && CLIENT_CODES.includes(code)) return new UpstreamError(message, { status: 400, cause: err });
  return networkError(err, signal, PROVIDER, true);
}

async function run(ctx: Ctx, inputs: Record<string, unknown>): Promise<unknown> {
  const ai = ctx.bindings.AI;
  if (!ai) throw new UpstreamError(`${PROVIDER}: the AI binding is not configured`, { retryable: false });
  try {
    // The binding honours `signal`; the race also covers runtimes where it does not.
    return await raceAbort(() => ai.run(ctx.upstreamModel, inputs, { signal: ctx.signal }), ctx.signal);
  } catch (err) {
    throw workersAIError(err, ctx.signal);
  }
}

export const workersAIUpstream: Upstream<WorkersAIConfig> = {
  kind: "workers-ai",
  configSchema: WorkersAIConfigSchema,

  async chat(request, ctx) {
    const out = parseOrThrow(WorkersAIOutputSchema, await run(ctx, toWorkersAIInputs(request, false)), PROVIDER, "body");
    const response = toChatCompletion(out, request, ctx.upstreamModel, nowSeconds());
    return { response, usage: response.usage ? fromOpenAIUsage(response.usage) : null };
  },

  async chatStream(request, ctx) {
    const body = await run(ctx, toWorkersAIInputs(request, true));
    if (!(body instanceof ReadableStream)) throw new UpstreamError(`${PROVIDER} did not return a stream`, { status: 502 });
    // Piping through with the signal makes an abort error the reader, as a fetch body would.
    const abortable = (body as ReadableStream<Uint8Array>).pipeThrough(new TransformStream<Uint8Array, Uint8Array>(), { signal: ctx.signal });
    const events = sseEventsFromBody(abortable, ctx.signal, PROVIDER);
    const maxTokens = request.max_completion_tokens ?? request.max_tokens;
    return { chunks: workersAIChunks(events, { model: ctx.upstreamModel, created: nowSeconds(), maxTokens }) };
  },
};
