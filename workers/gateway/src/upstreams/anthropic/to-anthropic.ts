/**
 * OpenAI Chat Completions request -> Anthropic Messages request.
 * Spec: https://docs.anthropic.com/en/api/messages ; OpenAI compatibility notes:
 * https://docs.anthropic.com/en/api/openai-sdk
 */
import type { ChatCompletionRequest, ChatMessage, ContentPart, ResponseFormat, Tool } from "../../../../../shared/schemas/openai-chat";
import { contentText, ImagePartSchema } from "../../../../../shared/schemas/openai-chat";
import { UpstreamError } from "../upstream";
import type { AnthropicContentBlock, AnthropicImageSource, AnthropicMessage, AnthropicRequest, AnthropicToolChoice } from "./schemas";

export const DEFAULT_MAX_TOKENS = 4096;

/** A request Anthropic cannot express: the client's fault, so never retried (HTTP 400). */
const unsupported = (what: string) => new UpstreamError(`anthropic upstream cannot accept ${what}`, { status: 400 });

export function toAnthropicRequest(req: ChatCompletionRequest, model: string, defaultMaxTokens = DEFAULT_MAX_TOKENS): AnthropicRequest {
  const system = [...systemTexts(req.messages), ...formatInstruction(req.response_format)].join("\n\n");
  const out: AnthropicRequest = {
    model,
    // Anthropic requires max_tokens; OpenAI's newer name wins over the deprecated one.
    max_tokens: req.max_completion_tokens ?? req.max_tokens ?? defaultMaxTokens,
    messages: toMessages(req.messages),
  };
  if (system) out.system = system;
  if (req.tools?.length) out.tools = req.tools.map(toTool);
  const choice = req.tools?.length ? toToolChoice(req.tool_choice, req.parallel_tool_calls) : undefined;
  if (choice) out.tool_choice = choice;
  if (req.stop != null) out.stop_sequences = typeof req.stop === "string" ? [req.stop] : req.stop;
  // OpenAI allows temperature 0..2, Anthropic 0..1: clamp rather than rescale, so 0..1 keeps its meaning.
  if (req.temperature != null) out.temperature = Math.min(req.temperature, 1);
  if (req.top_p != null) out.top_p = req.top_p;
  if (req.user) out.metadata = { user_id: req.user };
  return out;
}

/** Anthropic has one top-level system prompt; system and developer turns are gathered there in order. */
function systemTexts(messages: readonly ChatMessage[]): string[] {
  return messages.filter((m) => m.role === "system" || m.role === "developer").map((m) => contentText(m.content));
}

/**
 * Anthropic has no response_format. Best effort: instruct the model through the system prompt.
 * LIMITATION: output is not schema-constrained; callers needing a guarantee must validate it.
 */
function formatInstruction(format: ResponseFormat | undefined): string[] {
  if (format?.type === "json_object") return ["Respond with a single valid JSON object and nothing else."];
  if (format?.type !== "json_schema") return [];
  const schema = JSON.stringify(format.json_schema.schema ?? {});
  return [`Respond with a single JSON value that conforms to this JSON Schema (named "${format.json_schema.name}") and nothing else:\n${schema}`];
}

/** Anthropic requires alternating roles, so consecutive same-role turns are merged into one. */
function toMessages(messages: readonly ChatMessage[]): AnthropicMessage[] {
  const out: AnthropicMessage[] = [];
  for (const m of messages) {
    const converted = toMessage(m);
    if (!converted || converted.content.length === 0) continue;
    const last = out[out.length - 1];
    if (last && last.role === converted.role) last.content.push(...converted.content);
    else out.push(converted);
  }
  return out;
}

function toMessage(m: ChatMessage): AnthropicMessage | null {
  switch (m.role) {
    case "system":
    case "developer":
      return null;
    case "user":
      return { role: "user", content: toBlocks(m.content) };
    case "tool":
      // Tool results travel in a user turn, referencing the assistant's tool_use id.
      return { role: "user", content: [{ type: "tool_result", tool_use_id: m.tool_call_id, content: contentText(m.content) }] };
    case "assistant": {
      const text = m.content == null ? [] : toBlocks(m.content);
      const calls: AnthropicContentBlock[] = (m.tool_calls ?? []).map((c) => ({
        type: "tool_use",
        id: c.id,
        name: c.function.name,
        input: parseArguments(c.function.arguments),
      }));
      return { role: "assistant", content: [...text, ...calls] };
    }
  }
}

/** Anthropic rejects empty text blocks, so they are dropped. */
function toBlocks(content: string | ContentPart[]): AnthropicContentBlock[] {
  if (typeof content === "string") return content ? [{ type: "text", text: content }] : [];
  return content.flatMap((part): AnthropicContentBlock[] => {
    if (part.type === "text" && "text" in part && typeof part.text === "string") return part.text ? [{ type: "text", text: part.text }] : [];
    const image = ImagePartSchema.safeParse(part);
    if (image.success) return [{ type: "image", source: imageSource(image.data.image_url.url) }];
    throw unsupported(`content part "${part.type}"`);
  });
}

const DATA_URL = /^data:(image\/(?:jpeg|png|gif|webp));base64,(.+)$/s;

/** Base64 data URLs become inline sources; https URLs are fetched by Anthropic (`source.type: "url"`). */
function imageSource(url: string): AnthropicImageSource {
  const match = DATA_URL.exec(url);
  if (match?.[1] && match[2]) return { type: "base64", media_type: match[1], data: match[2] };
  if (url.startsWith("https://")) return { type: "url", url };
  throw unsupported("an image that is neither a base64 data URL (jpeg/png/gif/webp) nor an https URL");
}

/** Tool arguments that are not a JSON object (a model's broken output echoed back) become `{}`. */
function parseArguments(args: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(args);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  return {};
}

function toTool(tool: Tool): NonNullable<AnthropicRequest["tools"]>[number] {
  const { name, description, parameters } = tool.function;
  return { name, ...(description ? { description } : {}), input_schema: parameters ?? { type: "object", properties: {} } };
}

/** auto -> auto, required -> any, named -> tool, none -> none; parallel_tool_calls:false -> disable_parallel_tool_use. */
export function toToolChoice(choice: unknown, parallel: boolean | undefined): AnthropicToolChoice | undefined {
  const noParallel = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === "none") return { type: "none" };
  if (choice === "required") return { type: "any", ...noParallel };
  const named = namedTool(choice);
  if (named) return { type: "tool", name: named, ...noParallel };
  if (choice === undefined || choice === "auto") return parallel === false ? { type: "auto", ...noParallel } : undefined;
  throw unsupported("this tool_choice");
}

function namedTool(choice: unknown): string | undefined {
  if (!choice || typeof choice !== "object" || !("function" in choice)) return undefined;
  const fn = choice.function;
  return fn && typeof fn === "object" && "name" in fn && typeof fn.name === "string" ? fn.name : undefined;
}
