/**
 * Token counting for when an upstream does not report usage (some SageMaker/TGI endpoints,
 * cut-off streams). cl100k_base is a fair stand-in for modern BPE vocabularies; counts from
 * the upstream's own usage always win (see usage `source`).
 */
import { countTokens as countCl100k } from "gpt-tokenizer/encoding/cl100k_base";

// BPE cost grows with the square of a pre-token's length, and a run without spaces (a CJK
// paragraph, a base64 blob, 100k repeated letters) is one pre-token: 40k CJK characters took
// ~7 s, past a Worker's CPU limit. Such runs are counted in 256-character pieces, which moves the
// count by at most a token per cut; text without such runs is counted exactly as before.
const MAX_RUN = 256;
const LONG_RUN = new RegExp(`\\S{${MAX_RUN + 1}}`);
const RUN_PIECE = new RegExp(`(\\S{${MAX_RUN}})`);
// Prompts and answers may contain special-token text ("<|endoftext|>", "<|im_start|>"): it is
// counted as the plain text it is. gpt-tokenizer's default disallows it and throws, which once
// dropped usage events and billed answers $0.
const AS_TEXT = { disallowedSpecial: new Set<string>() };

export function countTokens(text: string): number {
  if (!text) return 0;
  if (!LONG_RUN.test(text)) return countCl100k(text, AS_TEXT);
  let n = 0;
  for (const part of text.split(RUN_PIECE)) if (part) n += countCl100k(part, AS_TEXT);
  return n;
}

/** OpenAI's chat accounting: ~3 tokens of framing per message plus 3 to prime the reply. */
export function countChatTokens(messages: ReadonlyArray<{ role: string; text: string }>): number {
  let total = 3;
  for (const m of messages) total += 3 + countTokens(m.role) + countTokens(m.text);
  return total;
}
