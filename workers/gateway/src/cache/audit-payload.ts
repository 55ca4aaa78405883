/**
 * What the queue event needs for a sampled semantic hit, so the evaluator's judge can ask
 * "does the cached answer to question A answer question B?" without reading the cache itself.
 * Both questions are the redacted texts.
 */
import type { CacheLookupResult } from "./types";

export interface CacheAuditPayload {
  entryId: string;
  similarity: number;
  cachedQuestion: string;
  question: string;
  cachedModelOrTier: string;
  cachedAt: number;
}

export function auditPayload(result: CacheLookupResult): CacheAuditPayload | null {
  if (!result.audit || !result.entry || result.similarity === undefined) return null;
  return {
    entryId: result.entry.entryId,
    similarity: result.similarity,
    cachedQuestion: result.entry.question,
    question: result.context.question,
    cachedModelOrTier: result.entry.modelOrTier,
    cachedAt: result.entry.createdAt,
  };
}
