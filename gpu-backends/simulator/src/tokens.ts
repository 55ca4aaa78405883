/**
 * Token counting with gpt-tokenizer (o200k_base). The simulator is not the real model's
 * tokenizer, but a fixed, real BPE keeps counts realistic and identical across stream modes.
 */
import { countTokens, decode, encode } from "gpt-tokenizer";
import type { ChatMessage, Tool } from "../../../shared/schemas/openai-chat";
import { contentText } from "../../../shared/schemas/openai-chat";

// User text may contain "<|endoftext|>"; count it as plain text instead of throwing.
const PLAIN = { disallowedSpecial: new Set<string>() };

/** ChatML framing per message and reply priming, as in OpenAI's token-counting cookbook. */
const TOKENS_PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

export const countText = (text: string): number => (text.length === 0 ? 0 : countTokens(text, PLAIN));

export function countPromptTokens(messages: readonly ChatMessage[], tools: readonly Tool[] | undefined): number {
  let total = REPLY_PRIMING;
  for (const m of messages) {
    total += TOKENS_PER_MESSAGE + countText(contentText(m.content ?? null));
    if (m.role === "assistant" && m.tool_calls) {
      for (const c of m.tool_calls) total += countText(c.function.name) + countText(c.function.arguments);
    }
  }
  // Tool definitions are part of the prompt the model sees.
  if (tools && tools.length > 0) total += countText(JSON.stringify(tools));
  return total;
}

/** Cuts `text` to at most `limit` tokens; returns the text and whether it was cut. */
export function truncateToTokens(text: string, limit: number): { text: string; truncated: boolean } {
  const ids = encode(text, PLAIN);
  if (ids.length <= limit) return { text, truncated: false };
  return { text: decode(ids.slice(0, limit)), truncated: true };
}
