/**
 * Hugging Face TGI payloads (SageMaker's HF LLM / TGI containers): a prompt string in, generated
 * text out. Spec: https://huggingface.github.io/text-generation-inference/ (POST /generate, /generate_stream).
 * TGI's raw API has no chat template, tools or prompt-token usage, so: a simple role-tagged
 * template is applied here, requests with tools are refused (400, so the executor can fall back
 * to a tool-capable model) and usage is reported as null (the gateway counts tokens itself).
 */
import { z } from "zod";
import { requireText } from "../content";
import { type ChatCompletionRequest, type ChatCompletionResponse, type ChatMessage } from "../../../../../shared/schemas/openai-chat";
import { UpstreamError } from "../upstream";

export const DEFAULT_MAX_NEW_TOKENS = 1024;

export interface TgiRequest {
  inputs: string;
  parameters: { max_new_tokens: number; temperature?: number; top_p?: number; stop?: string[]; do_sample?: boolean; details: true };
  stream: boolean;
}

/** Zephyr-style tags, understood well enough by most instruction-tuned models. */
export function chatTemplate(messages: readonly ChatMessage[]): string {
  const turns = messages.map((m) => {
    const calls = m.role === "assistant" && m.tool_calls?.length ? `\n${JSON.stringify(m.tool_calls.map((c) => c.function))}` : "";
    return `<|${m.role === "developer" ? "system" : m.role}|>\n${requireText(m.content, "sagemaker tgi payload")}${calls}</s>\n`;
  });
  return `${turns.join("")}<|assistant|>\n`;
}

export function toTgiRequest(req: ChatCompletionRequest, stream: boolean, defaultMaxTokens = DEFAULT_MAX_NEW_TOKENS): TgiRequest {
  if (req.tools?.length && req.tool_choice !== "none") {
    throw new UpstreamError("sagemaker tgi payload cannot call tools", { status: 400 });
  }
  const parameters: TgiRequest["parameters"] = { max_new_tokens: req.max_completion_tokens ?? req.max_tokens ?? defaultMaxTokens, details: true };
  // TGI rejects temperature 0 and top_p 1 (both must be strictly inside their ranges); omitting
  // them gives greedy / unrestricted decoding, which is what those values mean.
  if (req.temperature != null && req.temperature > 0) Object.assign(parameters, { temperature: req.temperature, do_sample: true });
  if (req.top_p != null && req.top_p > 0 && req.top_p < 1) parameters.top_p = req.top_p;
  if (req.stop != null) parameters.stop = typeof req.stop === "string" ? [req.stop] : req.stop;
  return { inputs: chatTemplate(req.messages), parameters, stream };
}

const DetailsSchema = z.looseObject({ finish_reason: z.string(), generated_tokens: z.number().int().nonnegative() });
const GenerationSchema = z.looseObject({ generated_text: z.string(), details: DetailsSchema.nullish() });
/** /generate answers one object; SageMaker's HF containers wrap it in a one-element array. */
export const TgiResponseSchema = z.union([z.array(GenerationSchema).min(1), GenerationSchema]);

export const TgiStreamEventSchema = z.looseObject({
  token: z.looseObject({ text: z.string(), special: z.boolean().optional() }),
  generated_text: z.string().nullish(),
  details: DetailsSchema.nullish(),
});
export const TgiStreamErrorSchema = z.looseObject({ error: z.string(), error_type: z.string().optional() });

/** length -> length; eos_token and stop_sequence both end the turn -> stop. */
export const tgiFinishReason = (reason: string | undefined): string => (reason === "length" ? "length" : "stop");

export const completionId = (): string => `chatcmpl-${crypto.randomUUID()}`;

export function fromTgiResponse(raw: z.infer<typeof TgiResponseSchema>, model: string, created: number): ChatCompletionResponse {
  const gen = Array.isArray(raw) ? raw[0] : raw;
  return {
    id: completionId(),
    object: "chat.completion",
    created,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: gen?.generated_text ?? "" }, finish_reason: tgiFinishReason(gen?.details?.finish_reason) }],
  };
}
