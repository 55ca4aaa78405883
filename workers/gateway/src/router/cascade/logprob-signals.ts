/**
 * Token log-probabilities of a draft, when the upstream returned them (vLLM and OpenAI do for
 * `logprobs: true`: `choices[0].logprobs.content[i].logprob`). A model that was unsure while
 * writing leaves low-probability tokens behind; the mean and the worst tokens summarise that.
 * Read defensively: the field is provider JSON, not ours.
 */
import { z } from "zod";

const TokenLogprobSchema = z.object({ logprob: z.number() }).passthrough();
const ChoiceLogprobsSchema = z.object({ content: z.array(TokenLogprobSchema).nullable().optional() }).passthrough();

export interface LogprobStats {
  tokens: number;
  /** Mean token logprob (≤ 0). */
  mean: number;
  /** Mean of the lowest 5% of token logprobs (at least one token): the draft's worst moments. */
  low: number;
}

/** Stats of `choices[0].logprobs`, or null when absent, empty or malformed. */
export function logprobStats(choiceLogprobs: unknown): LogprobStats | null {
  const parsed = ChoiceLogprobsSchema.safeParse(choiceLogprobs);
  const content = parsed.success ? parsed.data.content : null;
  if (!content || content.length === 0) return null;
  // -Infinity (a token the sampler forced) and positive noise are clamped to a sane range.
  const values = content.map((t) => Math.max(-20, Math.min(0, Number.isFinite(t.logprob) ? t.logprob : -20))).sort((a, b) => a - b);
  const k = Math.max(1, Math.ceil(values.length * 0.05));
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const low = values.slice(0, k).reduce((s, v) => s + v, 0) / k;
  return { tokens: values.length, mean, low };
}
