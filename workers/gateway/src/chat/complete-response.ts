/**
 * A whole (non-streamed) answer: restore placeholders, account usage, set the decision
 * headers. Sent as JSON, or replayed as SSE when the client asked for a stream but the answer
 * had to be complete first (cascade verification).
 */
import type { ChatCompletionResponse } from "../../../../shared/schemas/openai-chat";
import { GatewayError } from "../../../../shared/errors";
import { toOpenAIUsage, type TokenUsage } from "../../../../shared/usage";
import { replayAsSse } from "../cache/replay/replay-sse";
import type { ModelRegistry } from "../config/model-registry";
import type { Answered } from "../router/attempts/run-attempts";
import type { ChatResult } from "../upstreams/upstream";
import { accountChat } from "./accounting";
import { answerHeaders } from "./answer-headers";
import type { ExchangeResult } from "./build-event";
import type { ChatExchange } from "./exchange";
import { filterChoices, type OutputFilter } from "./output-filter";
import { requestHeaders } from "../middleware/request-id";

export function completeResponse(
  ex: ChatExchange,
  answered: Answered<ChatResult>,
  filter: OutputFilter,
  registry: ModelRegistry,
  publish: (r: ExchangeResult) => void,
  /** Receives the redacted upstream answer and its cost (the cache stores it). */
  onAnswer?: (redacted: ChatCompletionResponse, costUsd: number) => void,
): Response {
  ex.answeredBy = answered.attempt.model;
  const upstream = answered.value.response;
  const redactedAnswer = upstream.choices.map((ch) => ch.message.content ?? "").join("");
  ex.decisions.finishReason = upstream.choices[0]?.finish_reason ?? null;
  const { usage, ...priced } = accountChat(ex, answered.value.usage, redactedAnswer, ex.answeredBy, registry);
  let body: ChatCompletionResponse;
  try {
    body = restored(upstream, ex.answeredBy.id, usage, filter);
  } catch (err) {
    // The output policy withheld the answer (or restoring it failed), but the upstream call was
    // made: it is billed. The answer itself stays out of the event (it holds what was blocked).
    const gw = err instanceof GatewayError ? err : null;
    publish({ status: gw?.status ?? 500, errorCode: gw?.code ?? "internal_error", usage, ...priced, completedAt: Date.now(), ttftMs: null, answer: null });
    throw err;
  }
  publish({ status: 200, errorCode: null, usage, ...priced, completedAt: Date.now(), ttftMs: null, answer: redactedAnswer });
  onAnswer?.({ ...upstream, model: ex.answeredBy.id, usage: toOpenAIUsage(usage) }, priced.costUsd);
  const headers = { ...answerHeaders(ex, answered.attemptNumber), ...requestHeaders(ex.requestId, ex.clientRequestId, ex.timing) };
  if (!ex.stream) return new Response(JSON.stringify(body), { status: 200, headers: { ...headers, "content-type": "application/json" } });
  return new Response(replayAsSse(body, { includeUsage: ex.includeUsage }), {
    status: 200,
    headers: { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
  });
}

/** The client's answer: placeholders restored and the output policy applied (it may throw). */
function restored(upstream: ChatCompletionResponse, model: string, usage: TokenUsage, filter: OutputFilter): ChatCompletionResponse {
  return { ...upstream, model, usage: toOpenAIUsage(usage), choices: filterChoices(upstream.choices, filter) };
}
