/**
 * Search results for a caller with content access (document-pii.ts says who): each hit's text
 * and heading restored from its own document's vault, per the tenant's guardrail settings.
 * Hits of documents without a vault, or whose vault cannot be opened, keep their placeholders.
 */
import type { PiiHashKey } from "../../guardrails/redact/hash-key";
import type { GuardrailSettings } from "../../guardrails/settings";
import type { RagDeps } from "../rag-deps";
import type { SearchResult } from "../retrieve/search";
import type { CollectionScope } from "../store/scope";
import { openDocumentVaults, restoreDocumentText } from "./document-pii";

export async function restoreSearchResult(deps: Pick<RagDeps, "db" | "keyring">, scope: CollectionScope, result: SearchResult, settings: GuardrailSettings, hashKey: PiiHashKey): Promise<SearchResult> {
  const holding = result.hits.filter((h) => `${h.chunk.heading}${h.chunk.text}`.includes("<DOC_"));
  if (holding.length === 0) return result;
  const vaults = await openDocumentVaults(deps.db, await deps.keyring(), scope, holding.map((h) => ({ documentId: h.chunk.documentId, contentHash: h.chunk.contentHash })));
  if (vaults.size === 0) return result;
  const restore = (text: string, documentId: string) => restoreDocumentText(text, vaults.get(documentId), settings, hashKey);
  return {
    ...result,
    hits: result.hits.map((h) => ({ ...h, chunk: { ...h.chunk, heading: restore(h.chunk.heading, h.chunk.documentId), text: restore(h.chunk.text, h.chunk.documentId) } })),
  };
}
