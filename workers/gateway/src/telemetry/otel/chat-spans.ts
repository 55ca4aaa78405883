/**
 * What a chat exchange adds to its trace: the GenAI attributes (semconv 1.39.0, gen-ai,
 * "Development") on the server span and on the upstream call that answered, the gateway's
 * own decisions (route tier/reason/complexity, cache status and similarity, the fallback
 * chain, cascade), guardrail results as `gen_ai.guardrail.*` events on the guardrails stage,
 * stream resumes as `gateway.stream.resume` events on the server span,
 * and, only when the tenant opted in, the redacted messages. Written to the sink in the order
 * build-spans asks, each key once.
 */
import { contentText } from "../../../../../shared/schemas/openai-chat";
import type { SpanSink } from "../../../../../shared/otel/span-sink";
import type { ExchangeResult } from "../../chat/build-event";
import type { ChatExchange } from "../../chat/exchange";
import type { AttemptSpan, SpanContributor } from "./request-trace";

const obj = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

function decisionAttributes(ex: ChatExchange, sink: SpanSink): void {
  const route = obj(ex.decisions.route);
  const cascade = obj(ex.decisions.cascade);
  sink.attr("gateway.request.id", ex.requestId);
  sink.attr("gateway.tenant.id", ex.auth.tenantId);
  sink.attr("gateway.feature", ex.feature);
  sink.attr("gateway.route.tier", str(route.tier));
  sink.attr("gateway.route.reason", str(route.reason));
  sink.attr("gateway.route.complexity", num(route.complexity));
  sink.attr("gateway.route.confidence", num(route.confidence));
  sink.attr("gateway.route.threshold", num(route.threshold));
  sink.attr("gateway.route.model_version", str(route.modelVersion));
  sink.attr("gateway.cache.status", ex.cache);
  sink.attr("gateway.cache.similarity", ex.cacheSimilarity);
  // Every call in order, `model:outcome` (fallbacks and retries read left to right).
  sink.attr("gateway.fallback.chain", ex.attempts.length ? ex.attempts.map((a) => `${a.model}:${a.outcome}`) : null);
  sink.attr("gateway.cascade.accepted", typeof cascade.accepted === "boolean" ? cascade.accepted : null);
  sink.attr("gateway.cascade.draft_model", str(cascade.draftModel));
}

/** The response's model, usage and finish reason (the model named by the caller). */
function usageAttributes(ex: ChatExchange, result: ExchangeResult, responseModel: string | undefined, sink: SpanSink): void {
  const finish = str(ex.decisions.finishReason);
  sink.attr("gen_ai.response.model", responseModel);
  sink.attr("gen_ai.usage.input_tokens", result.usage?.input.total);
  sink.attr("gen_ai.usage.output_tokens", result.usage?.output.total);
  sink.attr("gen_ai.usage.cache_read.input_tokens", result.usage?.input.cached);
  sink.attr("gen_ai.response.finish_reasons", finish ? [finish] : null);
}

/**
 * Redacted content in the semconv message shape (gen_ai.input.messages / gen_ai.output.messages, JSON).
 * Only once the input guardrails redacted the request: one refused or blocked before that (no
 * PII_HASH_KEY, a PII or injection block) still holds the client's text, so it writes no content
 * at all. An answer is the output policy's form (ExchangeResult.answer), and exists only after redaction.
 */
function contentAttributes(ex: ChatExchange, result: ExchangeResult, sink: SpanSink): void {
  if (!ex.redacted) return;
  const input = ex.request.messages.map((m) => ({ role: m.role, parts: [{ type: "text", content: contentText(m.content ?? null) }] }));
  const output = result.answer === null ? null : [{ role: "assistant", parts: [{ type: "text", content: result.answer }], finish_reason: str(ex.decisions.finishReason) ?? "stop" }];
  sink.attr("gen_ai.input.messages", JSON.stringify(input));
  sink.attr("gen_ai.output.messages", output ? JSON.stringify(output) : null);
}

const resumesOf = (ex: ChatExchange): Array<Record<string, unknown>> => (Array.isArray(ex.decisions.streamResumes) ? (ex.decisions.streamResumes as unknown[]).map(obj) : []);

export class ChatSpans implements SpanContributor {
  constructor(
    private readonly ex: ChatExchange,
    private readonly result: ExchangeResult,
    private readonly captureContent: boolean,
  ) {}

  get completedAt(): number {
    return this.result.completedAt;
  }

  get errorType(): string | null {
    return this.result.errorCode || null;
  }

  serverAttributes(sink: SpanSink, withErrorType: boolean): void {
    const { ex, result } = this;
    sink.attr("gen_ai.operation.name", "chat");
    sink.attr("gen_ai.request.model", ex.original.model);
    sink.attr("gen_ai.provider.name", ex.answeredBy?.upstream.kind);
    sink.attr("gen_ai.request.max_tokens", ex.original.max_completion_tokens ?? ex.original.max_tokens);
    sink.attr("gen_ai.request.temperature", ex.original.temperature);
    sink.attr("gen_ai.request.top_p", ex.original.top_p);
    sink.attr("gateway.stream", ex.stream);
    sink.attr("gateway.ttft_ms", result.ttftMs);
    sink.attr("gateway.cost_usd", result.costUsd);
    usageAttributes(ex, result, ex.answeredBy?.id, sink);
    decisionAttributes(ex, sink);
    if (withErrorType && result.errorCode) sink.attr("error.type", result.errorCode);
    if (this.captureContent) contentAttributes(ex, result, sink);
    const resumes = resumesOf(ex).length;
    if (resumes) sink.attr("gateway.stream.resumes", resumes);
  }

  guardrailEvents(sink: SpanSink, atMs: number): void {
    const { ex, result } = this;
    const g = obj(ex.decisions.guardrails);
    const controls = Array.isArray(g.controls) ? (g.controls as unknown[]).map(obj) : [];
    for (const c of controls) {
      const entities = Array.isArray(c.entities) ? (c.entities as unknown[]).map(obj) : [];
      const name = str(c.name) ?? "unknown";
      sink.event(`gen_ai.guardrail.${name}`, atMs);
      sink.attr("gen_ai.guardrail.name", name);
      sink.attr("gen_ai.guardrail.action", str(c.action));
      sink.attr("gen_ai.guardrail.status", str(c.status));
      sink.attr("gen_ai.guardrail.score", num(c.score));
      sink.attr("gen_ai.guardrail.triggered", name === "injection" ? g.flagged === true : entities.length > 0);
      sink.attr("gen_ai.guardrail.entities", entities.length ? entities.map((e) => `${str(e.type) ?? "?"}=${num(e.count) ?? 0}`) : null);
    }
    // A block ends the request inside the guardrails, before its decisions are recorded.
    if (!controls.length && result.errorCode && /block|injection|content/.test(result.errorCode)) {
      sink.event("gen_ai.guardrail.blocked", atMs);
      sink.attr("gen_ai.guardrail.name", "input");
      sink.attr("gen_ai.guardrail.action", "block");
      sink.attr("gen_ai.guardrail.status", "ran");
      sink.attr("gen_ai.guardrail.score", null);
      sink.attr("gen_ai.guardrail.triggered", true);
      sink.attr("gen_ai.guardrail.entities", [result.errorCode]);
    }
  }

  /** Each stream resume round (chat/resume/) as an event on the server span. */
  serverEvents(sink: SpanSink, serverEndMs: number): void {
    for (const r of resumesOf(this.ex)) {
      sink.event("gateway.stream.resume", num(r.atMs) ?? serverEndMs);
      sink.attr("gateway.resume.model", str(r.model));
      sink.attr("gateway.resume.outcome", str(r.outcome));
      sink.attr("gateway.resume.cause", str(r.cause));
      sink.attr("gateway.resume.after_chars", num(r.afterChars));
      sink.attr("gateway.resume.calls", num(r.calls));
    }
  }

  /** The call that answered: the last one that succeeded with the answering model. */
  answered(attempts: readonly AttemptSpan[]): AttemptSpan | undefined {
    const id = this.ex.answeredBy?.id;
    for (let i = attempts.length - 1; i >= 0; i--) {
      const a = attempts[i] as AttemptSpan;
      if (a.record?.outcome === "ok" && a.model === id) return a;
    }
    return undefined;
  }

  /** It carries the response's model (as the upstream named it), usage and finish reason. */
  answeredAttributes(sink: SpanSink, a: AttemptSpan): void {
    usageAttributes(this.ex, this.result, a.upstreamModel, sink);
  }
}
