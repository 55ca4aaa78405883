/** Non-streamed answer: restore placeholders, account usage, set the decision headers. */
import type { Context } from "hono";
import type { ChatCompletionResponse } from "../../../../shared/schemas/openai-chat";
import type { AppEnv } from "../app-env";
import type { ModelRegistry } from "../config/model-registry";
import type { ChatResult } from "../upstreams/upstream";
import type { Answered } from "../router/attempts/run-attempts";
import { toOpenAIUsage } from "../../../../shared/usage";
import { priceUsage, resolveUsage } from "./accounting";
import type { ExchangeResult } from "./build-event";
import type { ChatExchange } from "./exchange";
import type { OutputFilter } from "./output-filter";
import { answerHeaders } from "./answer-headers";

export function completeResponse(
  c: Context<AppEnv>,
  ex: ChatExchange,
  answered: Answered<ChatResult>,
  filter: OutputFilter,
  registry: ModelRegistry,
  publish: (r: ExchangeResult) => void,
): Response {
  ex.answeredBy = answered.attempt.model;
  const upstream = answered.value.response;
  const redactedAnswer = upstream.choices.map((ch) => ch.message.content ?? "").join("");
  ex.decisions.finishReason = upstream.choices[0]?.finish_reason ?? null;
  const usage = resolveUsage(answered.value.usage, ex.request, redactedAnswer);
  const priced = priceUsage(usage, ex.answeredBy, registry);
  const body: ChatCompletionResponse = {
    ...upstream,
    model: ex.answeredBy.id,
    usage: toOpenAIUsage(usage),
    choices: upstream.choices.map((ch) => ({
      ...ch,
      message: {
        ...ch.message,
        content: ch.message.content === null ? null : filter.text(ch.message.content),
        ...(ch.message.tool_calls
          ? { tool_calls: ch.message.tool_calls.map((t) => ({ ...t, function: { ...t.function, arguments: filter.text(t.function.arguments) } })) }
          : {}),
      },
    })),
  };
  publish({ status: 200, errorCode: null, usage, ...priced, completedAt: Date.now(), ttftMs: null, answer: redactedAnswer });
  return c.json(body, 200, answerHeaders(ex, answered.attemptNumber));
}
