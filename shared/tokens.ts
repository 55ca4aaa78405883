/**
 * Token counting for when an upstream does not report usage (some SageMaker/TGI endpoints,
 * cut-off streams). cl100k_base is a fair stand-in for modern BPE vocabularies; counts from
 * the upstream's own usage always win (see usage `source`).
 */
import { countTokens as countCl100k } from "gpt-tokenizer/encoding/cl100k_base";

export function countTokens(text: string): number {
  return text ? countCl100k(text) : 0;
}

/** OpenAI's chat accounting: ~3 tokens of framing per message plus 3 to prime the reply. */
export function countChatTokens(messages: ReadonlyArray<{ role: string; text: string }>): number {
  let total = 3;
  for (const m of messages) total += 3 + countTokens(m.role) + countTokens(m.text);
  return total;
}
