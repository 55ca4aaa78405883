/**
 * Decides what the simulated model says. Pure and deterministic in (model, messages, request
 * options), so streaming and non-streaming calls return the same text and usage.
 * Precedence: ECHO: > replay > tool call > JSON response_format > synthetic prose.
 */
import type { ChatCompletionRequest, Tool, ToolCall } from "../../../shared/schemas/openai-chat";
import { contentText, lastUserText } from "../../../shared/schemas/openai-chat";
import type { ModelConfig } from "./config";
import type { Rng } from "./hash";
import { fnv1a } from "../../../shared/hash/fnv1a";
import { seededRng } from "./hash";
import { jsonFromSchema } from "./json-from-schema";
import type { ReplayIndex } from "./replay";
import { synthPhrase, synthWords } from "./synth-text";
import { countText, truncateToTokens } from "./tokens";

export type FinishReason = "stop" | "length" | "tool_calls";

export interface Answer {
  content: string | null;
  toolCalls: ToolCall[] | undefined;
  finishReason: FinishReason;
  completionTokens: number;
  /** Stream deltas: content pieces, or argument pieces of the single tool call. */
  pieces: string[];
  source: "echo" | "replay" | "tool" | "json" | "synthetic";
  /** Recorded token logprobs (replay); null when the recording has none; absent = simulated. */
  recordedLogprobs?: readonly number[] | null;
}

export const ECHO_PREFIX = "ECHO:";
/** `ECHO_TOOL: text` with tools: a call to the chosen tool with arguments `{"text": "<text>"}` (tests see what reached the upstream, inside tool-call arguments). */
export const ECHO_TOOL_PREFIX = "ECHO_TOOL:";

/** Words with their leading whitespace; joining the pieces gives back the text exactly. */
export const splitPieces = (text: string): string[] => text.match(/\s*\S+|\s+$/g) ?? [];

export function limitOf(req: ChatCompletionRequest): number {
  return req.max_completion_tokens ?? req.max_tokens ?? Number.POSITIVE_INFINITY;
}

/** Text before the earliest `stop` sequence (vLLM drops the stop string itself). */
function applyStop(text: string, stop: ChatCompletionRequest["stop"]): string {
  if (!stop) return text;
  let end = text.length;
  for (const s of typeof stop === "string" ? [stop] : stop) {
    const i = s ? text.indexOf(s) : -1;
    if (i >= 0 && i < end) end = i;
  }
  return end === text.length ? text : text.slice(0, end);
}

function textAnswer(full: string, limit: number, source: Answer["source"], stop: ChatCompletionRequest["stop"]): Answer {
  const text = applyStop(full, stop);
  const cut = Number.isFinite(limit) ? truncateToTokens(text, limit) : { text, truncated: false };
  return {
    content: cut.text,
    toolCalls: undefined,
    finishReason: cut.truncated ? "length" : "stop",
    completionTokens: countText(cut.text),
    pieces: splitPieces(cut.text),
    source,
  };
}

export function synthetic(rng: Rng, model: ModelConfig, limit: number, stop: ChatCompletionRequest["stop"]): Answer {
  // Length varies by seed (75%..125% of the default) so responses are not all alike.
  const wanted = Math.max(1, Math.round(model.defaultOutputTokens * (0.75 + 0.5 * rng())));
  const words = synthWords(rng, Math.min(wanted, limit));
  const full = words.join("");
  const content = applyStop(full, stop);
  // A stop sequence ends generation early with reason "stop", even when the limit was lower.
  if (content !== full) return { ...textAnswer(content, limit, "synthetic", undefined), finishReason: "stop" };
  return { content, toolCalls: undefined, finishReason: wanted > limit ? "length" : "stop", completionTokens: countText(content), pieces: words, source: "synthetic" };
}

function chosenTool(req: ChatCompletionRequest): Tool | undefined {
  const tools = req.tools;
  if (!tools || tools.length === 0 || req.tool_choice === "none") return undefined;
  const choice = req.tool_choice;
  if (typeof choice === "object" && choice !== null && "function" in choice) {
    const fn = (choice as { function?: { name?: unknown } }).function;
    const named = tools.find((t) => t.function.name === fn?.name);
    if (named) return named;
  }
  return tools[0];
}

function toolCallAnswer(rng: Rng, tool: Tool, seed: number): Answer {
  const args = JSON.stringify(jsonFromSchema(tool.function.parameters ?? { type: "object", properties: {} }, rng));
  return toolAnswer({ id: `chatcmpl-tool-${seed.toString(16).padStart(8, "0")}`, type: "function", function: { name: tool.function.name, arguments: args } });
}

/** Streams the arguments in 16-character pieces, as servers do (pieces split words and JSON). */
function toolAnswer(call: ToolCall): Answer {
  const args = call.function.arguments;
  const pieces: string[] = [];
  for (let i = 0; i < args.length; i += 16) pieces.push(args.slice(i, i + 16));
  return { content: null, toolCalls: [call], finishReason: "tool_calls", completionTokens: countText(call.function.name) + countText(args), pieces, source: "tool" };
}

function echoToolCall(tool: Tool, text: string): Answer {
  const seed = fnv1a(`echo-tool\u0000${text}`);
  const call: ToolCall = { id: `chatcmpl-tool-${seed.toString(16).padStart(8, "0")}`, type: "function", function: { name: tool.function.name, arguments: JSON.stringify({ text }) } };
  return toolAnswer(call);
}

function jsonText(rng: Rng, req: ChatCompletionRequest): string | undefined {
  const rf = req.response_format;
  if (!rf || rf.type === "text") return undefined;
  if (rf.type === "json_schema" && rf.json_schema.schema) return JSON.stringify(jsonFromSchema(rf.json_schema.schema, rng));
  return JSON.stringify({ answer: synthPhrase(rng, 6) });
}

export function buildAnswer(req: ChatCompletionRequest, model: ModelConfig, replay: ReplayIndex): Answer {
  const limit = limitOf(req);
  const last = req.messages[req.messages.length - 1];
  const userText = lastUserText(req.messages);
  if (last?.role === "user") {
    const text = contentText(last.content);
    if (text.startsWith(ECHO_PREFIX)) return textAnswer(text.slice(ECHO_PREFIX.length).replace(/^ /, ""), limit, "echo", req.stop);
    const echoTool = text.startsWith(ECHO_TOOL_PREFIX) ? chosenTool(req) : undefined;
    if (echoTool) return echoToolCall(echoTool, text.slice(ECHO_TOOL_PREFIX.length).replace(/^ /, ""));
  }
  const recorded = replay.entry(model.id, userText);
  if (recorded !== undefined) return { ...textAnswer(recorded.response, limit, "replay", req.stop), recordedLogprobs: recorded.logprobs ?? null };
  const seed = fnv1a(`${model.id}\u0000${JSON.stringify(req.messages)}`);
  const rng = seededRng(seed);
  const tool = last?.role === "user" ? chosenTool(req) : undefined;
  if (tool) return toolCallAnswer(rng, tool, seed);
  const json = jsonText(rng, req);
  if (json !== undefined) return textAnswer(json, limit, "json", req.stop);
  return synthetic(rng, model, limit, req.stop);
}
