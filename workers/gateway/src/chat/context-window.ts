/**
 * Does a chat request fit a model's context window? Prompt tokens plus the requested output
 * (max_tokens, or at least 1 when unset) must not exceed `contextWindow`, as OpenAI checks it
 * (error code `context_length_exceeded`). Tool definitions and tool-call arguments count as
 * prompt; images do not (their cost depends on the upstream).
 *
 * Cheap first, exact only when it matters: a byte-level BPE token covers at least one UTF-8
 * byte, so 3 x the prompt's UTF-16 length (free), then its UTF-8 length (one pass), bound its
 * tokens for any such tokenizer. Only a prompt whose bound does not fit is counted, with
 * cl100k_base (shared/tokens), in pieces, and only until it is past the window asked about (a
 * later, larger window resumes the count): a megabyte prompt costs at most one window's worth of
 * tokenizing, everyday prompts none. The count is cl100k's, not the upstream's own tokenizer, so
 * within a few percent of a window the upstream has the last word.
 */
import { GatewayError } from "../../../../shared/errors";
import { contentText, type ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";
import { countTokens } from "../../../../shared/tokens";
import type { ModelEntry } from "../config/model-registry";

/** ChatML framing per message and reply priming, as in OpenAI's token-counting cookbook. */
const PER_MESSAGE = 4;
const PRIMING = 3;
/** Counted in pieces about this long (cut at a space), so counting can stop early. */
const PIECE_CHARS = 16_384;

/** A prompt's token count, taken lazily and only as far as a question needs. */
export class PromptTokens {
  private readonly texts: string[];
  private readonly framing: number;
  private chars = -1;
  private bytes = -1;
  private counted: number;
  private text = 0;
  private offset = 0;

  constructor(request: ChatCompletionRequest) {
    this.texts = promptTexts(request);
    this.framing = PRIMING + PER_MESSAGE * request.messages.length;
    this.counted = this.framing;
  }

  /** Whether the prompt takes at most `limit` tokens. */
  fitsIn(limit: number): boolean {
    if (this.chars < 0) this.chars = this.texts.reduce((n, t) => n + t.length, 0);
    if (this.framing + 3 * this.chars <= limit) return true;
    if (this.bytes < 0) this.bytes = this.texts.reduce((n, t) => n + utf8Length(t), 0);
    if (this.framing + this.bytes <= limit) return true;
    return this.countPast(limit) <= limit;
  }

  /** Counted so far; `complete` when the whole prompt was counted. */
  get known(): { tokens: number; complete: boolean } {
    return { tokens: this.counted, complete: this.text >= this.texts.length };
  }

  /** Counts on until past `limit` or the end; returns the tokens counted. */
  private countPast(limit: number): number {
    while (this.counted <= limit && this.text < this.texts.length) {
      const t = this.texts[this.text] as string;
      let end = Math.min(t.length, this.offset + PIECE_CHARS);
      if (end < t.length) {
        const space = t.lastIndexOf(" ", end);
        if (space > this.offset) end = space;
      }
      this.counted += countTokens(t.slice(this.offset, end));
      this.offset = end;
      if (this.offset >= t.length) {
        this.text++;
        this.offset = 0;
      }
    }
    return this.counted;
  }
}

function promptTexts(request: ChatCompletionRequest): string[] {
  const texts: string[] = [];
  for (const m of request.messages) {
    texts.push(contentText(m.content ?? null));
    if ("tool_calls" in m && Array.isArray(m.tool_calls)) for (const c of m.tool_calls) texts.push(c.function.name, c.function.arguments);
  }
  if (request.tools?.length) texts.push(JSON.stringify(request.tools));
  return texts;
}

function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // U+0080..U+07FF: 2 bytes, other BMP: 3, a surrogate pair (2 units): 4.
    if (c >= 0x80) n += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return n;
}

const counters = new WeakMap<ChatCompletionRequest, PromptTokens>();

/** One counter per request object, shared by every check of that request. */
export function promptTokens(request: ChatCompletionRequest): PromptTokens {
  let counter = counters.get(request);
  if (!counter) counters.set(request, (counter = new PromptTokens(request)));
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
