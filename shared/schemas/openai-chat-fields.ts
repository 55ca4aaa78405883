/**
 * Which fields of a chat request may leave the gateway, by name. The request schema is
 * `.passthrough()` (providers add fields faster than we name them), so without this an unknown
 * field — or a known one nobody redacts — would ride along to an upstream unchanged. Every
 * field is therefore one of:
 *   forward      sent to upstreams that support it, after the guardrails walked its text;
 *   consume      read by the gateway (routing, streaming, metering, features), not forwarded as sent;
 *   drop         known, deliberately not forwarded (see FIELD_TABLE's reasons);
 *   reject       a 400: the gateway cannot honour it and dropping it would change the answer;
 * and anything else is unknown: dropped, or a 400 for tenants in strict mode.
 * `projectChatRequest` rebuilds a request from the known fields only, at every level the schema
 * lets extra keys through (messages, content parts, tool calls, tools, response_format ...).
 * The table is documented in docs/guardrails.md ("Fields"). Spec:
 * https://platform.openai.com/docs/api-reference/chat/create
 */
import type { ChatCompletionRequest } from "./openai-chat";

export type FieldDisposition = "forward" | "consume" | "drop" | "reject";

export const FIELD_TABLE = {
  model: "consume",
  messages: "forward",
  stream: "consume",
  stream_options: "consume",
  n: "consume",
  metadata: "consume",
  temperature: "forward",
  top_p: "forward",
  max_tokens: "forward",
  max_completion_tokens: "forward",
  stop: "forward",
  presence_penalty: "forward",
  frequency_penalty: "forward",
  seed: "forward",
  logit_bias: "forward",
  logprobs: "forward",
  top_logprobs: "forward",
  tools: "forward",
  tool_choice: "forward",
  parallel_tool_calls: "forward",
  response_format: "forward",
  reasoning_effort: "forward",
  verbosity: "forward",
  prediction: "forward",
  prompt_cache_retention: "forward",
  user: "forward",
  safety_identifier: "forward",
  prompt_cache_key: "forward",
  // Would retain conversations in the operator's provider account, mixing tenants there.
  store: "drop",
  // Billing tier of the operator's account: a deployment decision, and priced by the registry.
  service_tier: "drop",
  // Carries the end user's approximate location; search-preview models only.
  web_search_options: "drop",
  // Legacy function calling (answers come back as message.function_call): use tools.
  functions: "reject",
  function_call: "reject",
  // Audio output: the gateway answers text (output guardrails, cache and restore read text).
  audio: "reject",
  modalities: "reject",
} as const satisfies Record<string, FieldDisposition>;

export type KnownField = keyof typeof FIELD_TABLE;
/** Forwarded top-level fields, as the OpenAI-compatible body names them. */
export const FORWARDED_FIELDS = (Object.keys(FIELD_TABLE) as KnownField[]).filter((k) => FIELD_TABLE[k] === "forward");

export interface FieldIssue {
  /** Dotted path, as zod errors name params: `messages.0.content.1.x`. */
  path: string;
  kind: "unknown" | "dropped" | "rejected";
}
export type IssueSink = (issue: FieldIssue) => void;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Copies `keys` in the input's order; every other key is reported unknown. */
function pick(value: Obj, keys: readonly string[], path: string, sink: IssueSink | undefined): Obj {
  const out: Obj = {};
  for (const k in value) {
    if (keys.includes(k)) {
      if (value[k] !== undefined) out[k] = value[k];
    } else sink?.({ path: `${path}.${k}`, kind: "unknown" });
  }
  return out;
}

/** A nested object field: its own keys picked too. */
function pickInner(value: Obj, key: string, keys: readonly string[], path: string, sink: IssueSink | undefined): void {
  const inner = value[key];
  if (isObj(inner)) value[key] = pick(inner, keys, `${path}.${key}`, sink);
}

const PART_KEYS: Record<string, { keys: readonly string[]; inner?: readonly string[] }> = {
  text: { keys: ["type", "text"] },
  refusal: { keys: ["type", "refusal"] },
  image_url: { keys: ["type", "image_url"], inner: ["url", "detail"] },
  input_audio: { keys: ["type", "input_audio"], inner: ["data", "format"] },
  file: { keys: ["type", "file"], inner: ["file_id", "file_data", "filename"] },
};

function projectPart(part: unknown, path: string, sink: IssueSink | undefined): unknown {
  if (!isObj(part)) return part;
  const spec = typeof part.type === "string" ? PART_KEYS[part.type] : undefined;
  // An unknown part cannot be dropped without answering half a prompt: refused instead.
  if (!spec) {
    sink?.({ path: `${path}.type`, kind: "rejected" });
    return part;
  }
  const out = pick(part, spec.keys, path, sink);
  if (spec.inner) pickInner(out, String(part.type), spec.inner, path, sink);
  return out;
}

function projectContent(content: unknown, path: string, sink: IssueSink | undefined): unknown {
  return Array.isArray(content) ? content.map((p, i) => projectPart(p, `${path}.${i}`, sink)) : content;
}

const MESSAGE_KEYS: Record<string, readonly string[]> = {
  system: ["role", "content", "name"],
  developer: ["role", "content", "name"],
  user: ["role", "content", "name"],
  assistant: ["role", "content", "name", "refusal", "tool_calls"],
  tool: ["role", "content", "tool_call_id"],
};

function projectToolCall(call: unknown, path: string, sink: IssueSink | undefined): unknown {
  if (!isObj(call)) return call;
  const out = pick(call, ["id", "type", "function"], path, sink);
  pickInner(out, "function", ["name", "arguments"], path, sink);
  return out;
}

function projectMessage(m: unknown, path: string, sink: IssueSink | undefined): unknown {
  if (!isObj(m)) return m;
  const out = pick(m, MESSAGE_KEYS[String(m.role)] ?? ["role", "content"], path, sink);
  if (out.content != null) out.content = projectContent(out.content, `${path}.content`, sink);
  if (Array.isArray(out.tool_calls)) out.tool_calls = out.tool_calls.map((c, i) => projectToolCall(c, `${path}.tool_calls.${i}`, sink));
  return out;
}

function projectNamedFunction(value: unknown, path: string, sink: IssueSink | undefined): unknown {
  if (!isObj(value)) return value;
  const out = pick(value, ["type", "function"], path, sink);
  pickInner(out, "function", ["name"], path, sink);
  return out;
}

function projectTool(tool: unknown, path: string, sink: IssueSink | undefined): unknown {
  if (!isObj(tool)) return tool;
  const out = pick(tool, ["type", "function"], path, sink);
  // The parameters object is a JSON Schema: every key of it is meaningful, and the guardrails
  // walk all of its values.
  pickInner(out, "function", ["name", "description", "parameters", "strict"], path, sink);
  return out;
}

function projectToolChoice(choice: unknown, path: string, sink: IssueSink | undefined): unknown {
  if (!isObj(choice)) return choice;
  if (choice.type !== "allowed_tools") return projectNamedFunction(choice, path, sink);
  const out = pick(choice, ["type", "allowed_tools"], path, sink);
  const allowed = out.allowed_tools;
  if (isObj(allowed)) {
    const inner = pick(allowed, ["mode", "tools"], `${path}.allowed_tools`, sink);
    if (Array.isArray(inner.tools)) inner.tools = inner.tools.map((t, i) => projectNamedFunction(t, `${path}.allowed_tools.tools.${i}`, sink));
    out.allowed_tools = inner;
  }
  return out;
}

function projectResponseFormat(format: unknown, path: string, sink: IssueSink | undefined): unknown {
  if (!isObj(format)) return format;
  const out = pick(format, format.type === "json_schema" ? ["type", "json_schema"] : ["type"], path, sink);
  pickInner(out, "json_schema", ["name", "description", "schema", "strict"], path, sink);
  return out;
}

type Projector = (value: unknown, path: string, sink: IssueSink | undefined) => unknown;
const NESTED: Partial<Record<KnownField, Projector>> = {
  messages: (v, p, s) => (Array.isArray(v) ? v.map((m, i) => projectMessage(m, `${p}.${i}`, s)) : v),
  tools: (v, p, s) => (Array.isArray(v) ? v.map((t, i) => projectTool(t, `${p}.${i}`, s)) : v),
  tool_choice: projectToolChoice,
  response_format: projectResponseFormat,
  stream_options: (v, p, s) => (isObj(v) ? pick(v, ["include_usage"], p, s) : v),
  prediction: (v, p, s) => (isObj(v) ? { ...pick(v, ["type", "content"], p, s), content: projectContent(v.content, `${p}.content`, s) } : v),
};

const isKnown = (k: string): k is KnownField => Object.hasOwn(FIELD_TABLE, k);

/** `modalities: ["text"]` asks for the default and is consumed; anything with audio is refused. */
const textOnly = (v: unknown): boolean => Array.isArray(v) && v.every((m) => m === "text");

/**
 * The request rebuilt from known fields only (forwarded and consumed ones; `metadata` stays
 * behind once read, see FIELD_TABLE). Every field left out is reported to `sink`. The input is
 * not mutated; objects are rebuilt, strings and numbers shared.
 */
export function projectChatRequest(request: ChatCompletionRequest, sink?: IssueSink): ChatCompletionRequest {
  const out: Obj = {};
  for (const key in request) {
    const value = (request as Obj)[key];
    if (value === undefined) continue;
    if (!isKnown(key)) {
      sink?.({ path: key, kind: "unknown" });
      continue;
    }
    const disposition: FieldDisposition = FIELD_TABLE[key];
    if (key === "modalities" && textOnly(value)) continue;
    if (disposition === "reject") sink?.({ path: key, kind: "rejected" });
    else if (disposition === "drop") sink?.({ path: key, kind: "dropped" });
    else if (key !== "metadata") out[key] = NESTED[key]?.(value, key, sink) ?? value;
  }
  return out as ChatCompletionRequest;
}
