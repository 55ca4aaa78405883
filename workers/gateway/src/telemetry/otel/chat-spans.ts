/**
 * What a chat exchange adds to its trace: the GenAI attributes (semconv 1.39.0, gen-ai,
 * "Development") on the server span and on the upstream call that answered, the gateway's
 * own decisions (route tier/reason/complexity, cache status and similarity, the fallback
 * chain, cascade), guardrail results as `gen_ai.guardrail.*` events on the guardrails stage,
 * stream resumes as `gateway.stream.resume` events on the server span,
 * and, only when the tenant opted in, the redacted messages.
 */
import { contentText } from "../../../../../shared/schemas/openai-chat";
import type { Attributes, SpanData } from "../../../../../shared/otel/span";
import type { ExchangeResult } from "../../chat/build-event";
import type { ChatExchange } from "../../chat/exchange";
import type { BuiltSpans, SpanContributor } from "./request-trace";

const obj = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

function decisionAttributes(ex: ChatExchange): Attributes {
  const route = obj(ex.decisions.route);
  const cascade = obj(ex.decisions.cascade);
  return {
    "gateway.request.id": ex.requestId,
    "gateway.tenant.id": ex.auth.tenantId,
    "gateway.feature": ex.feature,
    "gateway.route.tier": str(route.tier),
    "gateway.route.reason": str(route.reason),
    "gateway.route.complexity": num(route.complexity),
    "gateway.route.confidence": num(route.confidence),
    "gateway.route.threshold": num(route.threshold),
    "gateway.route.model_version": str(route.modelVersion),
    "gateway.cache.status": ex.cache,
    "gateway.cache.similarity": ex.cacheSimilarity,
    // Every call in order, `model:outcome` (fallbacks and retries read left to right).
    "gateway.fallback.chain": ex.attempts.length ? ex.attempts.map((a) => `${a.model}:${a.outcome}`) : null,
    "gateway.cascade.accepted": typeof cascade.accepted === "boolean" ? cascade.accepted : null,
    "gateway.cascade.draft_model": str(cascade.draftModel),
  };
}

function usageAttributes(ex: ChatExchange, result: ExchangeResult): Attributes {
  const finish = str(ex.decisions.finishReason);
  return {
    "gen_ai.response.model": ex.answeredBy?.id,
    "gen_ai.usage.input_tokens": result.usage?.input.total,
    "gen_ai.usage.output_tokens": result.usage?.output.total,
    "gen_ai.usage.cache_read.input_tokens": result.usage?.input.cached,
    "gen_ai.response.finish_reasons": finish ? [finish] : null,
  };
}

/** Redacted content in the semconv message shape (gen_ai.input.messages / gen_ai.output.messages, JSON). */
function contentAttributes(ex: ChatExchange, result: ExchangeResult): Attributes {
  const input = ex.request.messages.map((m) => ({ role: m.role, parts: [{ type: "text", content: contentText(m.content ?? null) }] }));
  const output = result.answer === null ? null : [{ role: "assistant", parts: [{ type: "text", content: result.answer }], finish_reason: str(ex.decisions.finishReason) ?? "stop" }];
  return { "gen_ai.input.messages": JSON.stringify(input), "gen_ai.output.messages": output ? JSON.stringify(output) : null };
}

function guardrailEvents(ex: ChatExchange, result: ExchangeResult, at: SpanData): void {
  const g = obj(ex.decisions.guardrails);
  const controls = Array.isArray(g.controls) ? (g.controls as unknown[]).map(obj) : [];
  const events = controls.map((c) => {
    const entities = Array.isArray(c.entities) ? (c.entities as unknown[]).map(obj) : [];
    const name = str(c.name) ?? "unknown";
    const score = num(c.score);
    return {
      name: `gen_ai.guardrail.${name}`,
      timeMs: at.endMs,
      attributes: {
        "gen_ai.guardrail.name": name,
        "gen_ai.guardrail.action": str(c.action),
        "gen_ai.guardrail.status": str(c.status),
        "gen_ai.guardrail.score": score,
        "gen_ai.guardrail.triggered": name === "injection" ? g.flagged === true : entities.length > 0,
        "gen_ai.guardrail.entities": entities.length ? entities.map((e) => `${str(e.type) ?? "?"}=${num(e.count) ?? 0}`) : null,
      },
    };
  });
  // A block ends the request inside the guardrails, before its decisions are recorded.
  if (!controls.length && result.errorCode && /block|injection|content/.test(result.errorCode)) {
    events.push({ name: "gen_ai.guardrail.blocked", timeMs: at.endMs, attributes: { "gen_ai.guardrail.name": "input", "gen_ai.guardrail.action": "block", "gen_ai.guardrail.status": "ran", "gen_ai.guardrail.score": null, "gen_ai.guardrail.triggered": true, "gen_ai.guardrail.entities": [result.errorCode] } });
  }
  if (events.length) at.events = [...(at.events ?? []), ...events];
}

/** Each stream resume round (chat/resume/) as an event on the server span, and their count. */
function resumeEvents(ex: ChatExchange, server: SpanData): void {
  const resumes = Array.isArray(ex.decisions.streamResumes) ? (ex.decisions.streamResumes as unknown[]).map(obj) : [];
  if (resumes.length === 0) return;
  server.attributes["gateway.stream.resumes"] = resumes.length;
  const events = resumes.map((r) => ({
    name: "gateway.stream.resume",
    timeMs: num(r.atMs) ?? server.endMs,
    attributes: { "gateway.resume.model": str(r.model), "gateway.resume.outcome": str(r.outcome), "gateway.resume.cause": str(r.cause), "gateway.resume.after_chars": num(r.afterChars), "gateway.resume.calls": num(r.calls) },
  }));
  server.events = [...(server.events ?? []), ...events];
}

export function chatContributor(ex: ChatExchange, result: ExchangeResult, captureContent: boolean): SpanContributor {
  return (spans: BuiltSpans) => {
    const { server } = spans;
    const usage = usageAttributes(ex, result);
    Object.assign(server.attributes, {
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": ex.original.model,
      "gen_ai.provider.name": ex.answeredBy?.upstream.kind,
      "gen_ai.request.max_tokens": ex.original.max_completion_tokens ?? ex.original.max_tokens,
      "gen_ai.request.temperature": ex.original.temperature,
      "gen_ai.request.top_p": ex.original.top_p,
      "gateway.stream": ex.stream,
      "gateway.ttft_ms": result.ttftMs,
      "gateway.cost_usd": result.costUsd,
      ...usage,
      ...decisionAttributes(ex),
      ...(result.errorCode ? { "error.type": result.errorCode } : {}),
      ...(captureContent ? contentAttributes(ex, result) : {}),
    });
    // A stream's server span lasts until its last byte.
    server.endMs = Math.max(server.endMs, result.completedAt);
    guardrailEvents(ex, result, spans.stages.get("guardrails") ?? server);
    resumeEvents(ex, server);
    // The call that answered carries the response's model, usage and finish reason.
    const answered = [...spans.attempts].reverse().find((a) => a.facts.record?.outcome === "ok" && a.facts.model === ex.answeredBy?.id);
    if (answered) Object.assign(answered.span.attributes, usage, { "gen_ai.response.model": answered.facts.upstreamModel });
  };
}
