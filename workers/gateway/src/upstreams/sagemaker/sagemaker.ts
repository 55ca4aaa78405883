/**
 * AWS SageMaker real-time endpoints through the SageMaker Runtime API, for containers serving
 * either OpenAI chat bodies (vLLM / LMI "messages" API) or TGI `inputs` payloads.
 * Spec: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
 * and API_runtime_InvokeEndpointWithResponseStream.html
 */
import { InvokeEndpointCommand, InvokeEndpointWithResponseStreamCommand } from "@aws-sdk/client-sagemaker-runtime";
import { z } from "zod";
import { ChatCompletionResponseSchema, type ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { fromOpenAIUsage } from "../../../../../shared/usage";
import { parseOrThrow } from "../http";
import { openAIChunksFromSse } from "../openai-stream";
import { openAIChatBody } from "../openai-wire";
import { UpstreamError, type Upstream, type UpstreamCallContext } from "../upstream";
import { PROVIDER, sagemakerClient, sagemakerError } from "./client";
import { payloadEvents, tgiChunks } from "./payload-stream";
import { fromTgiResponse, TgiResponseSchema, toTgiRequest } from "./tgi";

export const SageMakerConfigSchema = z.object({
  kind: z.literal("sagemaker"),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region such as us-east-1"),
  endpointName: z.string().min(1).max(63),
  payload: z.enum(["openai-messages", "tgi"]),
  /** For endpoints hosting several inference components. */
  inferenceComponent: z.string().min(1).optional(),
  /** TGI max_new_tokens when the client sends no max_tokens. */
  defaultMaxTokens: z.number().int().positive().optional(),
});
export type SageMakerConfig = z.infer<typeof SageMakerConfigSchema>;

type Ctx = UpstreamCallContext<SageMakerConfig>;

function payload(request: ChatCompletionRequest, ctx: Ctx, stream: boolean): unknown {
  if (ctx.config.payload === "tgi") return toTgiRequest(request, stream, ctx.config.defaultMaxTokens);
  return openAIChatBody(request, ctx.upstreamModel, stream, ctx.continueFinalMessage);
}

function commandInput(request: ChatCompletionRequest, ctx: Ctx, stream: boolean) {
  return {
    EndpointName: ctx.config.endpointName,
    ...(ctx.config.inferenceComponent ? { InferenceComponentName: ctx.config.inferenceComponent } : {}),
    ContentType: "application/json",
    Accept: stream ? "text/event-stream" : "application/json",
    Body: new TextEncoder().encode(JSON.stringify(payload(request, ctx, stream))),
  };
}

function decodeJson(body: Uint8Array | undefined): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch (err) {
    throw new UpstreamError(`${PROVIDER} returned a non-JSON body`, { status: 502, cause: err });
  }
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export const sageMakerUpstream: Upstream<SageMakerConfig> = {
  kind: "sagemaker",
  configSchema: SageMakerConfigSchema,

  async chat(request, ctx) {
    const input = commandInput(request, ctx, false);
    const out = await sagemakerClient(ctx)
      .send(new InvokeEndpointCommand(input), { abortSignal: ctx.signal })
      .catch((err: unknown) => Promise.reject(sagemakerError(err, ctx.signal, false)));
    const raw = decodeJson(out.Body);
    if (ctx.config.payload === "tgi") {
      return { response: fromTgiResponse(parseOrThrow(TgiResponseSchema, raw, PROVIDER, "body"), ctx.upstreamModel, nowSeconds()), usage: null };
    }
    const response = parseOrThrow(ChatCompletionResponseSchema, raw, PROVIDER, "body");
    return { response, usage: response.usage ? fromOpenAIUsage(response.usage) : null };
  },

  async chatStream(request, ctx) {
    const input = commandInput(request, ctx, true);
    const out = await sagemakerClient(ctx)
      .send(new InvokeEndpointWithResponseStreamCommand(input), { abortSignal: ctx.signal })
      .catch((err: unknown) => Promise.reject(sagemakerError(err, ctx.signal, false)));
    if (!out.Body) throw new UpstreamError(`${PROVIDER} returned no stream body`, { status: 502 });
    const events = payloadEvents(out.Body, ctx.signal);
    const chunks = ctx.config.payload === "tgi" ? tgiChunks(events, ctx.upstreamModel, nowSeconds()) : openAIChunksFromSse(events, PROVIDER);
    return { chunks };
  },
};
