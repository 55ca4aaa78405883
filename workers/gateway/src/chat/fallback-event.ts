/**
 * The usage event of last resort: when `buildChatEvent` throws (a defect, or data it cannot
 * read), the request is still billed and still appears in the ledger. This event carries only
 * what is cheap to read safely: ids, tenant, key, feature, model and tier if one answered,
 * status, cost and tokens (the upstream's counts if the result has valid ones, else an estimate
 * from the redacted exchange), and `decisions.usageEventFallback` saying so, which the trace
 * (GET /v1/requests/{id}) shows. Never any text: no content, so the answer is not judged.
 * Validated with the evaluator's own schema before it is published (a rare path: the cost of
 * zod here does not matter); an exchange too broken for even this yields null.
 */
import { contentText } from "../../../../shared/schemas/openai-chat";
import { TokenUsageSchema, UsageEventV1Schema, type TokenUsage, type UsageEventV1 } from "../../../../shared/schemas/usage-event";
import { countTokens } from "../../../../shared/tokens";
import type { ExchangeResult } from "./build-event";
import type { ChatExchange } from "./exchange";

/** The marker in `decisions`: why the event is minimal and where its token counts came from. */
export const FALLBACK_MARK = "usageEventFallback";

const CACHE_STATES = new Set<string>(["hit-exact", "hit-semantic", "miss", "bypass", "off"]);

/** A read that may throw (whatever broke the builder may break it too) yields `fallback`. */
function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** Tokens of a text: our tokenizer, or about 4 characters a token if even that throws. */
function tokensOf(text: string): number {
  return safely(() => countTokens(text), Math.ceil(text.length / 4));
}

/** Input tokens of the redacted messages (counted, never kept) and output tokens of the answer. */
function estimatedUsage(ex: ChatExchange, answer: string | null): TokenUsage {
  const input = safely(() => ex.request.messages.reduce((n, m) => n + 4 + tokensOf(contentText(m.content ?? null)), 0), 0);
  const output = typeof answer === "string" ? tokensOf(answer) : 0;
  return { input: { total: input, cached: 0 }, output: { total: output, reasoning: 0 }, source: input + output > 0 ? "tokenizer" : "none" };
}

const nonNegative = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null);
const integer = (v: unknown, or: number): number => (typeof v === "number" && Number.isInteger(v) ? v : or);
const errorName = (err: unknown): string => (err instanceof Error ? err.name : "unknown").slice(0, 64);

export function fallbackChatEvent(ex: ChatExchange, result: ExchangeResult, err: unknown): UsageEventV1 | null {
  const counted = TokenUsageSchema.safeParse(safely(() => result.usage, null));
  const usage = counted.success ? counted.data : estimatedUsage(ex, safely(() => result.answer, null));
  const model = safely(() => ex.answeredBy, null);
  const receivedAt = integer(safely(() => ex.receivedAt, NaN), Date.now());
  const completedAt = integer(safely(() => result.completedAt, NaN), Date.now());
  // A rejected cascade draft must stay a draft (billed to its request, not counted as one).
  const draftOf = safely(() => ex.decisions["cascadeDraftOf"], undefined);
  // Likewise a shadow call (shadow-tier.ts).
  const shadowOf = safely(() => ex.decisions["shadowOf"], undefined);
  const prompt = UsageEventV1Schema.shape.prompt.safeParse(safely(() => ex.prompt, undefined));
  const feature = safely(() => ex.feature, null);
  const candidate = {
    version: 1,
    kind: "chat",
    requestId: safely(() => ex.requestId, ""),
    receivedAt,
    completedAt,
    tenantId: safely(() => ex.auth.tenantId, ""),
    keyId: safely(() => ex.auth.keyId, ""),
    feature: typeof feature === "string" ? feature.slice(0, 128) : null,
    endUser: null,
    requestedModel: safely(() => String(ex.original.model), ""),
    model: safely(() => model?.id ?? null, null),
    tier: safely(() => model?.tier ?? null, null),
    upstream: safely(() => model?.upstream.kind ?? null, null),
    stream: safely(() => ex.stream === true, false),
    status: integer(safely(() => result.status, NaN), 500),
    errorCode: safely(() => result.errorCode, null),
    cache: safely(() => (CACHE_STATES.has(ex.cache) ? ex.cache : "off"), "off"),
    usage,
    costUsd: nonNegative(safely(() => result.costUsd, null)) ?? 0,
    latencyMs: Math.max(0, completedAt - receivedAt),
    ttftMs: nonNegative(safely(() => result.ttftMs, null)),
    attempts: [],
    stages: [],
    ...(prompt.success && prompt.data ? { prompt: prompt.data } : {}),
    decisions: {
      ...(typeof draftOf === "string" ? { cascadeDraftOf: draftOf } : {}),
      ...(typeof shadowOf === "string" ? { shadowOf } : {}),
      [FALLBACK_MARK]: { error: errorName(err), tokens: counted.success ? "result" : "estimate" },
    },
  };
  const parsed = UsageEventV1Schema.safeParse(candidate);
  return parsed.success && parsed.data.tenantId !== "" ? parsed.data : null;
}
