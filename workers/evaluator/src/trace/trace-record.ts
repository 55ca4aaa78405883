/**
 * What the evaluator keeps for GET /v1/requests/:id. The non-content story (stages, attempts,
 * decisions) is plain JSON; the redacted exchange is sealed with the content keyring, and only
 * a content-free summary (roles, lengths, redaction placeholders) stays readable without it.
 */
import { z } from "zod";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";

export const PLACEHOLDER_RE = /<[A-Z][A-Z0-9_]*_\d+>/g;

export const ContentMetaSchema = z.object({
  messages: z.array(z.object({ role: z.string(), chars: z.number().int() })),
  responseChars: z.number().int(),
  placeholders: z.array(z.string()),
  hasResponseFormat: z.boolean(),
});
export type ContentMeta = z.infer<typeof ContentMetaSchema>;

export const StoredContentSchema = z.object({
  messages: z.array(z.object({ role: z.string(), content: z.string() })),
  response: z.string(),
  responseFormat: z.unknown().optional(),
});
export type StoredContent = z.infer<typeof StoredContentSchema>;

export type Seal = (plaintext: string) => Promise<string>;

export function traceJson(event: UsageEvent): string {
  return JSON.stringify({
    requestId: event.requestId,
    kind: event.kind,
    receivedAt: event.receivedAt,
    completedAt: event.completedAt,
    status: event.status,
    errorCode: event.errorCode,
    stream: event.stream,
    requestedModel: event.requestedModel,
    model: event.model,
    tier: event.tier,
    upstream: event.upstream,
    cache: { status: event.cache, similarity: event.cacheSimilarity ?? null },
    usage: event.usage,
    latencyMs: event.latencyMs,
    ttftMs: event.ttftMs,
    stages: event.stages,
    attempts: event.attempts,
    decisions: withoutText(event.decisions),
  });
}

/**
 * Decisions minus the text some of them carry for the evaluator's own use: a sampled semantic
 * hit's `cache.audit` holds both questions (redacted) for the cache-quality judge, a shadow
 * check's `cache.shadow` also the cached answer. The trace is readable without the content
 * keyring, so text must not ride in it; they keep their similarity, band, entry and timing.
 */
function withoutText(decisions: UsageEvent["decisions"]): UsageEvent["decisions"] {
  const cache = decisions.cache;
  if (!cache || typeof cache !== "object") return decisions;
  // A sampled hit's `audit` and a sampled near-miss's `shadow` (which also holds the cached answer).
  const out: Record<string, unknown> = { ...(cache as Record<string, unknown>) };
  for (const part of ["audit", "shadow"]) {
    const payload = out[part];
    if (!payload || typeof payload !== "object") continue;
    const { cachedQuestion: _cached, question: _question, cachedAnswer: _answer, ...kept } = payload as Record<string, unknown>;
    out[part] = kept;
  }
  return { ...decisions, cache: out };
}

export function contentMeta(content: StoredContent): ContentMeta {
  const texts = [...content.messages.map((m) => m.content), content.response];
  const placeholders = new Set(texts.flatMap((t) => t.match(PLACEHOLDER_RE) ?? []));
  return {
    messages: content.messages.map((m) => ({ role: m.role, chars: m.content.length })),
    responseChars: content.response.length,
    placeholders: [...placeholders].sort(),
    hasResponseFormat: content.responseFormat !== undefined,
  };
}

/** A request_traces row, as D1 holds it and as the archive stores it in R2. */
export interface TraceRow {
  request_id: string;
  tenant_id: string;
  trace_json: string;
  content_meta_json: string | null;
  content_envelope: string | null;
  created_at: number;
}

/** Without a keyring (seal undefined) the content is dropped, never stored in the clear. */
export async function traceRow(event: UsageEvent, seal: Seal | undefined, now: number): Promise<TraceRow> {
  const content = event.content;
  return {
    request_id: event.requestId,
    tenant_id: event.tenantId,
    trace_json: traceJson(event),
    content_meta_json: content ? JSON.stringify(contentMeta(content)) : null,
    content_envelope: content && seal ? await seal(JSON.stringify(content)) : null,
    created_at: now,
  };
}

export function traceInsert(db: D1Database, row: TraceRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO request_traces (request_id, tenant_id, trace_json, content_meta_json, content_envelope, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (request_id) DO NOTHING`,
    )
    .bind(row.request_id, row.tenant_id, row.trace_json, row.content_meta_json, row.content_envelope, row.created_at);
}

export async function traceStatement(db: D1Database, event: UsageEvent, seal: Seal | undefined, now: number): Promise<D1PreparedStatement> {
  return traceInsert(db, await traceRow(event, seal, now));
}
