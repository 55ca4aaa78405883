/**
 * OpenAI chat request <-> Workers AI text-generation inputs/outputs.
 * Inputs: https://developers.cloudflare.com/workers-ai/models/ (messages, stream, max_tokens,
 * temperature, top_p, tools, response_format). Content must be a string for most models.
 */
import { requireText } from "../content";
import { type ChatCompletionRequest, type ChatCompletionResponse, type ChatMessage, type Tool, type ToolCall } from "../../../../../shared/schemas/openai-chat";
import type { OpenAIUsage } from "../../../../../shared/schemas/openai-chat";
import type { WorkersAIOutput, WorkersAIToolCall, WorkersAIUsage } from "../../../../../shared/schemas/workers-ai";

export function toWorkersAIInputs(req: ChatCompletionRequest, stream: boolean): Record<string, unknown> {
  const inputs: Record<string, unknown> = { messages: req.messages.map(toMessage), stream };
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  if (maxTokens != null) inputs.max_tokens = maxTokens;
  if (req.temperature != null) inputs.temperature = req.temperature;
  if (req.top_p != null) inputs.top_p = req.top_p;
  if (req.seed != null) inputs.seed = req.seed;
  if (req.frequency_penalty != null) inputs.frequency_penalty = req.frequency_penalty;
  if (req.presence_penalty != null) inputs.presence_penalty = req.presence_penalty;
  // Workers AI accepts OpenAI-style `{type: "function", function}` tools; only their known keys go.
  if (req.tools?.length && req.tool_choice !== "none") inputs.tools = req.tools.map(toTool);
  if (req.response_format?.type === "json_object") inputs.response_format = { type: "json_object" };
  if (req.response_format?.type === "json_schema") {
    const { name, description, schema, strict } = req.response_format.json_schema;
    inputs.response_format = { type: "json_schema", json_schema: { name, ...(description ? { description } : {}), ...(schema ? { schema } : {}), ...(strict != null ? { strict } : {}) } };
  }
  return inputs;
}

function toTool(t: Tool): Record<string, unknown> {
  const { name, description, parameters } = t.function;
  return { type: "function", function: { name, ...(description ? { description } : {}), ...(parameters ? { parameters } : {}) } };
}

const toCall = (c: ToolCall): ToolCall => ({ id: c.id, type: "function", function: { name: c.function.name, arguments: c.function.arguments } });

function toMessage(m: ChatMessage): Record<string, unknown> {
  const role = m.role === "developer" ? "system" : m.role;
  const out: Record<string, unknown> = { role, content: requireText(m.content, "workers-ai upstream") };
  if (m.role === "assistant" && m.tool_calls?.length) out.tool_calls = m.tool_calls.map(toCall);
  if (m.role === "tool") out.tool_call_id = m.tool_call_id;
  return out;
}

export const newId = (prefix: string): string => `${prefix}${crypto.randomUUID().replaceAll("-", "")}`;

/** Workers AI may omit ids (legacy shape) and gives arguments as objects: OpenAI wants both as strings. */
export function toToolCall(call: WorkersAIToolCall): ToolCall {
  const fn = "function" in call && call.function && typeof call.function === "object" ? call.function : call;
  const args = "arguments" in fn ? fn.arguments : undefined;
  const name = "name" in fn && typeof fn.name === "string" ? fn.name : "";
  const id = "id" in call && typeof call.id === "string" && call.id ? call.id : newId("call_");
  return { id, type: "function", function: { name, arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}) } };
}

export function toUsage(u: WorkersAIUsage): OpenAIUsage {
  return { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens, total_tokens: u.total_tokens ?? u.prompt_tokens + u.completion_tokens };
}

/**
 * Workers AI reports no finish reason: tool calls -> tool_calls; hitting the requested
 * max_tokens exactly -> length (best effort); otherwise stop.
 */
export function finishReason(hasToolCalls: boolean, usage: WorkersAIUsage | null | undefined, maxTokens: number | null | undefined): string {
  if (hasToolCalls) return "tool_calls";
  if (usage && maxTokens != null && usage.completion_tokens >= maxTokens) return "length";
  return "stop";
}

export function toChatCompletion(out: WorkersAIOutput, req: ChatCompletionRequest, model: string, created: number): ChatCompletionResponse {
  const toolCalls = (out.tool_calls ?? []).map(toToolCall);
  const text = out.response == null ? null : typeof out.response === "string" ? out.response : JSON.stringify(out.response);
  return {
    id: newId("chatcmpl-"),
    object: "chat.completion",
    created,
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: text === "" && toolCalls.length ? null : text, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
        finish_reason: finishReason(toolCalls.length > 0, out.usage, req.max_completion_tokens ?? req.max_tokens),
      },
    ],
    ...(out.usage ? { usage: toUsage(out.usage) } : {}),
  };
}
