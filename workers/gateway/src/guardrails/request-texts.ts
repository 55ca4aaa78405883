import type {
  ChatCompletionRequest,
  ChatMessage,
  ContentPart,
  MessageContent,
  ResponseFormat,
  Tool,
  ToolCall,
  ToolChoice,
} from "../../../../shared/schemas/openai-chat";
import { isDataUrl, mapDataUrl, mapFileData, type PayloadMapper, type PayloadResult } from "./data-payload";
import { END_USER_FIELDS } from "./end-user";
import { mapJsonTree } from "./json-tree";

/**
 * The one list of places in a chat request that hold text an upstream receives. Redaction and
 * invisible-character stripping both walk it, so a field added here is covered by both; the
 * request it walks has been cut down to known fields first (shared/schemas/openai-chat-fields.ts),
 * so nothing outside this list reaches an upstream. Covered: message content (text and refusal
 * parts, all roles, tool results included), message `name`, assistant `refusal`, tool-call ids,
 * names and arguments, tool definitions (name, description, every leaf of the parameter schema),
 * tool_choice names, response_format (name, description, schema), `stop`, `prediction`, the
 * end-user identifiers (pseudonyms by now: a no-op unless a caller skipped that) and `metadata`
 * values. Inline payloads (data: URLs, file_data) that hold text (by label, or by their bytes:
 * data-payload.ts) are decoded, mapped and encoded again; other bytes (PNG, PDF, input_audio)
 * and text that cannot be read are reported to the visitor's `opaque`; an https image URL is
 * text (PII in a query string is redacted).
 */
export type IdentifierKind =
  /** A participant's display name (`messages[].name`): may hold a person's name. */
  | "name"
  /** Opaque ids echoed between turns (tool-call ids, file ids): any consistent rewrite keeps them paired. */
  | "id"
  /** Function / schema names the model must echo exactly: never rewritten. */
  | "function";

export interface TextVisitor {
  /** `key` is the JSON property a schema leaf sits under ("ssn"), used as context. */
  text(value: string, key?: string): string;
  /** Tool-call arguments: JSON text, to be transformed without breaking it. */
  json(value: string): string;
  /** `path` is the field's dotted path, for errors. */
  identifier(value: string, kind: IdentifierKind, path: string): string;
  /**
   * An inline payload the gateway cannot read: `binary` (an image, a PDF, audio) or `unreadable`
   * (labelled text but not readable as UTF-8). Forwarded as it is unless the visitor throws.
   */
  opaque?(path: string, mediaType: string, kind: "binary" | "unreadable"): void;
}

/** The payload's new value when it is text; reported to the visitor (and kept) otherwise. */
function payload(r: PayloadResult, original: string, v: TextVisitor, path: string): string {
  if (r.kind === "text") return r.value;
  v.opaque?.(path, r.mediaType, r.kind === "opaque" ? "binary" : "unreadable");
  return original;
}

const payloadMapper =
  (v: TextVisitor): PayloadMapper =>
  (text) =>
    v.text(text);

function mapPart(p: ContentPart, v: TextVisitor, path: string): ContentPart {
  switch (p.type) {
    case "text":
      return typeof p.text === "string" ? { ...p, text: v.text(p.text) } : p;
    case "refusal":
      return typeof p.refusal === "string" ? { ...p, refusal: v.text(p.refusal) } : p;
    case "image_url": {
      const image = p.image_url as { url?: unknown } | undefined;
      if (!image || typeof image.url !== "string") return p;
      const url = isDataUrl(image.url) ? payload(mapDataUrl(image.url, payloadMapper(v)), image.url, v, `${path}.image_url.url`) : v.text(image.url);
      return { ...p, image_url: { ...image, url } };
    }
    case "file": {
      const file = p.file as { filename?: unknown; file_id?: unknown; file_data?: unknown } | undefined;
      if (!file) return p;
      const out: Record<string, unknown> = { ...file };
      const filename = typeof file.filename === "string" ? file.filename : undefined;
      if (filename !== undefined) out.filename = v.text(filename);
      if (typeof file.file_id === "string") out.file_id = v.identifier(file.file_id, "id", `${path}.file.file_id`);
      if (typeof file.file_data === "string") out.file_data = payload(mapFileData(file.file_data, payloadMapper(v)), file.file_data, v, `${path}.file.file_data`);
      return { ...p, file: out };
    }
    case "input_audio": {
      const audio = p.input_audio as { format?: unknown } | undefined;
      v.opaque?.(`${path}.input_audio.data`, `audio/${typeof audio?.format === "string" ? audio.format.slice(0, 32) : "unknown"}`, "binary");
      return p;
    }
    default:
      return p;
  }
}

function mapContent(c: MessageContent, v: TextVisitor, path: string): MessageContent {
  if (typeof c === "string") return v.text(c);
  return c.map((p, i) => mapPart(p, v, `${path}.${i}`));
}

function mapToolCall(tc: ToolCall, v: TextVisitor, path: string): ToolCall {
  return {
    ...tc,
    id: v.identifier(tc.id, "id", `${path}.id`),
    function: { name: v.identifier(tc.function.name, "function", `${path}.function.name`), arguments: v.json(tc.function.arguments) },
  };
}

export function mapMessageTexts(m: ChatMessage, v: TextVisitor, path = "messages"): ChatMessage {
  const name = "name" in m && typeof m.name === "string" ? { name: v.identifier(m.name, "name", `${path}.name`) } : {};
  if (m.role === "assistant") {
    const content = m.content == null ? m.content : mapContent(m.content, v, `${path}.content`);
    const tool_calls = m.tool_calls?.map((tc, i) => mapToolCall(tc, v, `${path}.tool_calls.${i}`));
    const refusal = typeof m.refusal === "string" ? { refusal: v.text(m.refusal) } : {};
    return { ...m, ...name, content, ...refusal, ...(tool_calls ? { tool_calls } : {}) };
  }
  if (m.role === "tool") {
    return { ...m, content: mapContent(m.content, v, `${path}.content`), tool_call_id: v.identifier(m.tool_call_id, "id", `${path}.tool_call_id`) };
  }
  return { ...m, ...name, content: mapContent(m.content, v, `${path}.content`) } as ChatMessage;
}

function mapTool(t: Tool, v: TextVisitor, path: string): Tool {
  const f = t.function;
  const fn: Tool["function"] = { ...f, name: v.identifier(f.name, "function", `${path}.function.name`) };
  if (typeof f.description === "string") fn.description = v.text(f.description);
  if (f.parameters) fn.parameters = mapJsonTree(f.parameters, (s, k) => v.text(s, k), `${path}.function.parameters`);
  return { ...t, function: fn };
}

function mapToolChoice(choice: ToolChoice, v: TextVisitor): ToolChoice {
  if (typeof choice === "string") return choice;
  const named = (c: { type: "function"; function: { name: string } }, path: string) => ({
    ...c,
    function: { ...c.function, name: v.identifier(c.function.name, "function", path) },
  });
  if (choice.type === "function") return named(choice, "tool_choice.function.name");
  const tools = choice.allowed_tools.tools.map((t, i) => named(t, `tool_choice.allowed_tools.tools.${i}.function.name`));
  return { ...choice, allowed_tools: { ...choice.allowed_tools, tools } };
}

function mapResponseFormat(format: ResponseFormat, v: TextVisitor): ResponseFormat {
  if (format.type !== "json_schema") return format;
  const js = format.json_schema;
  const json_schema: typeof js = { ...js, name: v.identifier(js.name, "function", "response_format.json_schema.name") };
  if (typeof js.description === "string") json_schema.description = v.text(js.description);
  if (js.schema) json_schema.schema = mapJsonTree(js.schema, (s, k) => v.text(s, k), "response_format.json_schema.schema");
  return { ...format, json_schema };
}

/** Fields other than messages: most requests have none of them, so this costs a few lookups. */
function mapOptions(request: ChatCompletionRequest, v: TextVisitor): Partial<ChatCompletionRequest> {
  const out: Partial<ChatCompletionRequest> = {};
  if (request.tools) out.tools = request.tools.map((t, i) => mapTool(t, v, `tools.${i}`));
  if (request.tool_choice !== undefined) out.tool_choice = mapToolChoice(request.tool_choice, v);
  if (request.response_format) out.response_format = mapResponseFormat(request.response_format, v);
  if (typeof request.stop === "string") out.stop = v.text(request.stop);
  else if (Array.isArray(request.stop)) out.stop = request.stop.map((s) => v.text(s));
  if (request.prediction) out.prediction = { ...request.prediction, content: mapContent(request.prediction.content, v, "prediction.content") };
  for (const f of END_USER_FIELDS) if (typeof request[f] === "string") out[f] = v.text(request[f]);
  if (request.metadata) out.metadata = Object.fromEntries(Object.entries(request.metadata).map(([k, x]) => [v.text(k), v.text(x, k)]));
  return out;
}

/** A new request with every text mapped; the input is not mutated. */
export function mapRequestTexts(request: ChatCompletionRequest, v: TextVisitor): ChatCompletionRequest {
  return { ...request, messages: request.messages.map((m, i) => mapMessageTexts(m, v, `messages.${i}`)), ...mapOptions(request, v) };
}
