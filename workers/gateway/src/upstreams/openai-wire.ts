/**
 * The body an OpenAI Chat Completions server (OpenAI, vLLM, TensorRT-LLM, SageMaker LMI)
 * receives, built field by field as the Vercel AI SDK's providers build theirs: the forwarded
 * fields of shared/schemas/openai-chat-fields.ts, each object in them cut to its known keys, the
 * registry's model id, and `stream` / `stream_options` set per call. Nothing else a client sent
 * is copied, so a field no guardrail walked cannot ride along.
 */
import type { ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";
import { FORWARDED_FIELDS, projectChatRequest } from "../../../../shared/schemas/openai-chat-fields";

export function openAIChatBody(request: ChatCompletionRequest, model: string, stream: boolean, continueFinalMessage = false): Record<string, unknown> {
  const known = projectChatRequest(request);
  const body: Record<string, unknown> = { model };
  for (const field of FORWARDED_FIELDS) if (known[field] !== undefined) body[field] = known[field];
  body.stream = stream;
  // OpenAI rejects stream_options on plain calls; on streams include_usage is forced so the
  // final chunk carries usage for metering.
  if (stream) body.stream_options = { include_usage: true };
  // vLLM's chat-template switches: continue the final (assistant) message instead of opening a
  // new assistant turn after it (https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html).
  if (continueFinalMessage) Object.assign(body, { continue_final_message: true, add_generation_prompt: false });
  return body;
}
