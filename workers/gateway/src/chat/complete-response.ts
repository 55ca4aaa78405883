/**
 * A whole (non-streamed) answer: apply the output policy, restore placeholders, account usage,
 * set the decision headers. Sent as JSON, or replayed as SSE when the client asked for a stream
 * but the answer had to be complete first (cascade verification, a blocking output policy).
 *
 * The policy runs once: its form (placeholders kept, PII the model wrote redacted/masked/hashed)
 * is what the usage event and the cache get; the client gets that form restored. Tokens are
 * counted on what the model wrote, so billing does not depend on the policy.
 */
import type { ChatCompletionResponse } from "../../../../shared/schemas/openai-chat";
import { GatewayError } from "../../../../shared/errors";
import { toOpenAIUsage } from "../../../../shared/usage";
import { replayAsSse } from "../cache/replay/replay-sse";
import type { ModelRegistry } from "../config/model-registry";
import type { Answered } from "../router/attempts/run-attempts";
import type { ChatResult } from "../upstreams/upstream";
import { accountChat } from "./accounting";
import { answerHeaders } from "./answer-headers";
import type { ExchangeResult } from "./build-event";
import type { ChatExchange } from "./exchange";
import { answerText, mapChoiceTexts, type OutputFilter } from "./output-filter";
import { requestHeaders } from "../middleware/request-id";

export function completeResponse(
  ex: ChatExchange,
  answered: Answered<ChatResult>,
  filter: OutputFilter,
  registry: ModelRegistry,
  publish: (r: ExchangeResult) => void,
  /** Receives the answer in the output policy's form and its cost (the cache stores it). */
  onAnswer?: (policed: ChatCompletionResponse, costUsd: number) => void,
): Response {
  ex.answeredBy = answered.attempt.model;
  const upstream = answered.value.response;
  ex.decisions.finishReason = upstream.choices[0]?.finish_reason ?? null;
  // The tokenizer's fallback (no upstream usage) counts what the model wrote.
  const { usage, ...priced } = accountChat(ex, answered.value.usage, answerText(upstream.choices), ex.answeredBy, registry);
  let policed: ChatCompletionResponse["choices"];
  let body: ChatCompletionResponse;
  try {
    policed = mapChoiceTexts(upstream.choices, (v) => filter.policy(v));
    body = { ...upstream, model: ex.answeredBy.id, usage: toOpenAIUsage(usage), choices: mapChoiceTexts(policed, (v) => filter.restore(v)) };
  } catch (err) {
    // The output policy withheld the answer (or restoring it failed), but the upstream call was
    // made: it is billed. The answer itself stays out of the event (it holds what was blocked).
    const gw = err instanceof GatewayError ? err : null;
    publish({ status: gw?.status ?? 500, errorCode: gw?.code ?? "internal_error", usage, ...priced, completedAt: Date.now(), ttftMs: null, answer: null });
    throw err;
  }
  publish({ status: 200, errorCode: null, usage, ...priced, completedAt: Date.now(), ttftMs: null, answer: answerText(policed) });
  onAnswer?.({ ...upstream, model: ex.answeredBy.id, usage: toOpenAIUsage(usage), choices: policed }, priced.costUsd);
  const headers = { ...answerHeaders(ex, answered.attemptNumber), ...requestHeaders(ex.requestId, ex.clientRequestId, ex.timing) };
  if (!ex.stream) return new Response(JSON.stringify(body), { status: 200, headers: { ...headers, "content-type": "application/json" } });
  return new Response(replayAsSse(body, { includeUsage: ex.includeUsage }), {
    status: 200,
    headers: { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
  });
}

