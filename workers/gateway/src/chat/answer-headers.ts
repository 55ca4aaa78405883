/** Headers that explain who answered and why: upstream, attempt, and every stage's decision. */
import type { ChatExchange } from "./exchange";

export function answerHeaders(ex: ChatExchange, attemptNumber: number | null): Record<string, string> {
  const model = ex.answeredBy;
  return {
    ...ex.headers,
    "x-cache": ex.cache === "off" ? "miss" : ex.cache,
    ...(model ? { "x-upstream": `${model.upstream.kind}:${model.id}`, "x-model": model.id, "x-tier": model.tier } : {}),
    ...(attemptNumber !== null ? { "x-upstream-attempt": String(attemptNumber) } : {}),
  };
}
