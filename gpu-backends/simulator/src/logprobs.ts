/**
 * Token logprobs for `logprobs: true`, shaped as OpenAI and vLLM return them
 * (`choices[0].logprobs.content[i] = {token, logprob, bytes, top_logprobs}`), over the o200k
 * tokens the simulator counts. Replayed answers return the logprobs their recording carries,
 * or null when it carries none (as a real recording without them); other answers get
 * deterministic simulated values, mostly confident with a few unsure tokens.
 * Non-streamed responses only: stream chunks keep `logprobs: null`.
 */
import { decode, encode } from "gpt-tokenizer";
import type { Answer } from "./answer";
import { fnv1a } from "../../../shared/hash/fnv1a";

const PLAIN = { disallowedSpecial: new Set<string>() };

export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: [];
}

export function answerLogprobs(answer: Pick<Answer, "content" | "recordedLogprobs">, modelId: string): { content: TokenLogprob[] } | null {
  if (answer.content === null || answer.recordedLogprobs === null) return null;
  const recorded = answer.recordedLogprobs;
  const content = encode(answer.content, PLAIN).map((id, i): TokenLogprob => {
    const token = decode([id]);
    const simulated = -2.5 * (fnv1a(`${modelId}\u0000${i}\u0000${token}`) / 0xffffffff) ** 4;
    const logprob = recorded ? (recorded[i] ?? recorded.at(-1) ?? 0) : Math.round(simulated * 1e4) / 1e4;
    return { token, logprob, bytes: [...new TextEncoder().encode(token)], top_logprobs: [] };
  });
  return { content };
}
