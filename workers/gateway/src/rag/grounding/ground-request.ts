/**
 * The chat pipeline's retrieval stage (after input guardrails, before the cache): the redacted
 * last user turn is the query; the collection's hybrid search returns top_k chunks; each is
 * screened for indirect injection; the survivors go to the model in one system message, with
 * ids. The cache runs after this stage on the grounded request, so its keys include the chunk
 * ids (and text): a changed or deleted document changes the key and a stale answer is not served.
 */
import { contentText, type ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { GatewayError } from "../../../../../shared/errors";
import type { PiiHashKey } from "../../guardrails/redact/hash-key";
import type { GuardrailSettings } from "../../guardrails/settings";
import type { ChatExchange } from "../../chat/exchange";
import { requireCollection } from "../collections";
import type { RagDeps } from "../rag-deps";
import { withoutPlaceholders } from "../retrieve/redact-query";
import { hybridSearch } from "../retrieve/search";
import type { SourceRef } from "./citations";
import type { RetrievalSpec } from "./retrieval-spec";
import { screenChunks } from "./screen-chunks";
import { mayRestoreDocumentPii, openDocumentVaults } from "../restore/document-pii";
import { groundedAnswerRestorer, numberGroundedPlaceholders, type AnswerRestorer } from "../restore/grounded-placeholders";
import { sourcesMessage } from "./sources-message";

export interface Grounding {
  collection: string;
  sources: SourceRef[];
  /** Restores document PII in the answer; null for callers without content access (they keep placeholders). */
  restore: AnswerRestorer | null;
}

function lastUserText(request: ChatCompletionRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const m = request.messages[i];
    if (m?.role === "user") return contentText(m.content);
  }
  return "";
}

const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 10_000) / 10_000);

export async function groundRequest(ex: ChatExchange, spec: RetrievalSpec, deps: RagDeps, guardrails: GuardrailSettings, hashKey: PiiHashKey): Promise<Grounding> {
  const query = lastUserText(ex.request).trim().slice(0, 4000);
  if (!query) throw new GatewayError("invalid_request", "Retrieval needs a user message to search with.", { param: "messages" });
  await requireCollection(deps.db, ex.auth.tenantId, spec.collection);
  // The prompt is redacted already; its placeholders would only match other redacted values (redact-query.ts).
  const searched = withoutPlaceholders(query) || query;
  const result = await hybridSearch(deps, { tenantId: ex.auth.tenantId, collectionId: spec.collection }, { query: searched, topK: spec.top_k, filters: spec.filters, rerank: spec.rerank });
  const screened = screenChunks(result.hits, guardrails.injection);
  const dropped = screened.dropped;
  // Placeholders renumbered across documents before the model sees them (grounded-placeholders.ts).
  const { kept, refs } = numberGroundedPlaceholders(screened.kept);

  const messages = ex.request.messages;
  let at = 0;
  while (at < messages.length && (messages[at]?.role === "system" || messages[at]?.role === "developer")) at++;
  const grounded = [...messages.slice(0, at), { role: "system" as const, content: sourcesMessage(kept) }, ...messages.slice(at)];
  ex.request = { ...ex.request, messages: grounded } as ChatCompletionRequest;

  ex.decisions.retrieval = {
    collection: spec.collection,
    reranker: result.reranker,
    ...(result.rerankerFallback ? { reranker_fallback: result.rerankerFallback } : {}),
    retrieved: kept.map((k) => ({
      chunk_id: k.hit.chunk.chunkId,
      document_id: k.hit.chunk.documentId,
      rank: k.hit.rank,
      scores: { bm25: round(k.hit.bm25), dense: round(k.hit.dense), fused: round(k.hit.fused), rerank: round(k.hit.rerank) },
      injection_score: k.injectionScore,
      treatment: k.treatment,
    })),
    dropped: dropped.map((d) => ({ chunk_id: d.chunkId, document_id: d.documentId, reason: d.reason, injection_score: d.score, rules: d.rules })),
    timings_ms: result.timings,
  };
  ex.headers["x-rag-sources"] = kept.map((k) => k.hit.chunk.chunkId).join(",") || "none";
  if (dropped.length) ex.headers["x-rag-dropped"] = String(dropped.length);
  const scope = { tenantId: ex.auth.tenantId, collectionId: spec.collection };
  const restore =
    refs.size > 0 && mayRestoreDocumentPii(ex.auth)
      ? groundedAnswerRestorer(refs, async (versions) => openDocumentVaults(deps.db, await deps.keyring(), scope, versions), guardrails, hashKey)
      : null;
  return { collection: spec.collection, sources: kept.map((k) => ({ chunkId: k.hit.chunk.chunkId, documentId: k.hit.chunk.documentId, text: k.hit.chunk.text })), restore };
}
