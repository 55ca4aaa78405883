/** The queue event for one chat exchange, derived from the exchange (redacted data only). */
import { contentText } from "../../../../shared/schemas/openai-chat";
import type { UsageEventV1 } from "../../../../shared/schemas/usage-event";
import { EMPTY_USAGE, type TokenUsage } from "../../../../shared/usage";
import type { ChatExchange } from "./exchange";

export interface ExchangeResult {
  status: number;
  errorCode: string | null;
  usage: TokenUsage | null;
  costUsd: number;
  counterfactualCostUsd?: number;
  completedAt: number;
  ttftMs: number | null;
  /** Redacted answer text (before placeholders were restored for the client). */
  answer: string | null;
}

export function buildChatEvent(ex: ChatExchange, result: ExchangeResult): UsageEventV1 {
  const model = ex.answeredBy;
  return {
    version: 1,
    kind: "chat",
    requestId: ex.requestId,
    receivedAt: ex.receivedAt,
    completedAt: result.completedAt,
    tenantId: ex.auth.tenantId,
    keyId: ex.auth.keyId,
    feature: ex.feature,
    endUser: ex.request.user ?? null,
    requestedModel: ex.original.model,
    model: model?.id ?? null,
    tier: model?.tier ?? null,
    upstream: model?.upstream.kind ?? null,
    stream: ex.stream,
    status: result.status,
    errorCode: result.errorCode,
    cache: ex.cache,
    cacheSimilarity: ex.cacheSimilarity,
    usage: result.usage ?? EMPTY_USAGE,
    costUsd: result.costUsd,
    ...(result.counterfactualCostUsd !== undefined ? { counterfactualCostUsd: result.counterfactualCostUsd } : {}),
    latencyMs: Math.max(0, result.completedAt - ex.receivedAt),
    ttftMs: result.ttftMs,
    attempts: ex.attempts.slice(0, 32),
    stages: ex.timing.list().slice(0, 64),
    decisions: ex.decisions,
    ...(ex.prompt ? { prompt: ex.prompt } : {}),
    ...(result.answer !== null
      ? {
          content: {
            messages: ex.request.messages.map((m) => ({ role: m.role, content: contentText(m.content ?? null) })),
            response: result.answer,
            ...(ex.request.response_format ? { responseFormat: ex.request.response_format } : {}),
          },
        }
      : {}),
  };
}
