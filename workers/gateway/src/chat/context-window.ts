/**
 * Does a chat request fit a model's context window? Prompt tokens plus the requested output
 * (max_tokens, or at least 1 when unset) must not exceed `contextWindow`, as OpenAI checks it
 * (error code `context_length_exceeded`). Tool definitions, tool-call arguments and the text of
 * inline text payloads count as prompt; images do not (their cost depends on the upstream). The count is lazy and bounded
 * (shared/bounded-token-count.ts): everyday prompts are decided by their length alone, and a
 * megabyte prompt costs at most one window's worth of tokenizing.
 */
import { BoundedTokenCount } from "../../../../shared/bounded-token-count";
import { GatewayError } from "../../../../shared/errors";
import { contentText, type ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";
import type { ModelEntry } from "../config/model-registry";
import { payloadText } from "../guardrails/data-payload";

/** ChatML framing per message and reply priming, as in OpenAI's token-counting cookbook. */
const PER_MESSAGE = 4;
const PRIMING = 3;

/** A chat prompt's token count, taken lazily and only as far as a question needs. */
export const chatPromptTokens = (request: ChatCompletionRequest): BoundedTokenCount =>
  new BoundedTokenCount(promptTexts(request), PRIMING + PER_MESSAGE * request.messages.length);

/**
 * Text the model reads from inline payloads (a text file, an SVG): counted like message text,
 * as OpenAI counts file text, and so the guardrails never read more text than a window holds.
 */
function payloadTexts(content: ChatCompletionRequest["messages"][number]["content"]): string[] {
  if (!Array.isArray(content)) return [];
  const out: string[] = [];
  for (const p of content) {
    const text =
      p.type === "image_url" && typeof (p.image_url as { url?: unknown } | undefined)?.url === "string"
        ? payloadText((p.image_url as { url: string }).url, "image_url")
        : p.type === "file" && typeof (p.file as { file_data?: unknown } | undefined)?.file_data === "string"
          ? payloadText((p.file as { file_data: string }).file_data, "file_data")
          : null;
    if (text !== null) out.push(text);
  }
  return out;
}

function promptTexts(request: ChatCompletionRequest): string[] {
  const texts: string[] = [];
  for (const m of request.messages) {
    texts.push(contentText(m.content ?? null), ...payloadTexts(m.content));
    if ("tool_calls" in m && Array.isArray(m.tool_calls)) for (const c of m.tool_calls) texts.push(c.function.name, c.function.arguments);
  }
  if (request.tools?.length) texts.push(JSON.stringify(request.tools));
  // Fields the guardrails read like the prompt (a predicted output, a response schema, stop
  // strings): counted so the guardrails never read more than a window.
  if (request.prediction) texts.push(contentText(request.prediction.content), ...payloadTexts(request.prediction.content));
  if (request.response_format) texts.push(JSON.stringify(request.response_format));
  if (typeof request.stop === "string") texts.push(request.stop);
  else if (Array.isArray(request.stop)) texts.push(...request.stop);
  return texts;
}

const counters = new WeakMap<ChatCompletionRequest, BoundedTokenCount>();

/** One counter per request object, shared by every check of that request. */
export function promptTokens(request: ChatCompletionRequest): BoundedTokenCount {
  let counter = counters.get(request);
  if (!counter) counters.set(request, (counter = chatPromptTokens(request)));
  return counter;
}

/**
 * The output the window must leave room for. A cap above the model's own output limit is
 * refused by that check (with its own message), so here it counts only up to that limit.
 */
const outputOf = (request: ChatCompletionRequest, model: ModelEntry): number =>
  Math.min(request.max_completion_tokens ?? request.max_tokens ?? 1, model.maxOutputTokens);

export function fitsContext(request: ChatCompletionRequest, model: ModelEntry): boolean {
  return promptTokens(request).fitsIn(model.contextWindow - outputOf(request, model));
}

/** OpenAI's error for a request over `model`'s window (call after fitsContext said no). */
export function contextLengthExceeded(request: ChatCompletionRequest, model: ModelEntry, preface = "This model's"): GatewayError {
  const output = outputOf(request, model);
  const { tokens, complete } = promptTokens(request).known;
  const atLeast = complete ? "" : "at least ";
  return new GatewayError(
    "invalid_request",
    `${preface} maximum context length is ${model.contextWindow} tokens (${model.id}). However, you requested ${atLeast}${tokens + output} tokens (${atLeast}${tokens} in the messages, ${output} in the completion). Please reduce the length of the messages or completion.`,
    { param: "messages", code: "context_length_exceeded" },
  );
}
