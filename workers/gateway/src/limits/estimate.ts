/**
 * Pre-call estimates for token limits and budgets. Deliberately rough and on the high side:
 * ~4 characters per token (OpenAI's rule of thumb for English) over the whole JSON body, plus
 * the requested output cap. `settleTokens` corrects the token bucket with the real usage after
 * the call; budgets are corrected by the ledger.
 */
import { z } from "zod";

export const DEFAULT_OUTPUT_TOKENS = 256;
/** Conservative default price for the budget pre-check when the model is not yet known. */
export const DEFAULT_USD_PER_MILLION_TOKENS = 10;

const CapsSchema = z.looseObject({
  max_tokens: z.number().int().nonnegative().optional(),
  max_completion_tokens: z.number().int().nonnegative().optional(),
});

export function estimateTokensFromBody(body: unknown, bodyChars: number): number {
  const caps = CapsSchema.safeParse(body);
  const output = caps.success ? (caps.data.max_completion_tokens ?? caps.data.max_tokens ?? DEFAULT_OUTPUT_TOKENS) : DEFAULT_OUTPUT_TOKENS;
  return Math.ceil(bodyChars / 4) + output;
}

export function estimateCostUsd(tokens: number, usdPerMillion = DEFAULT_USD_PER_MILLION_TOKENS): number {
  return (tokens * usdPerMillion) / 1_000_000;
}
