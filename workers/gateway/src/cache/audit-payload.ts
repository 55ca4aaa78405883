/**
 * What the queue event needs for the evaluator's judge to ask "does the cached answer to
 * question A answer question B?" without reading the cache itself: for a sampled semantic hit
 * (the answer served), and for a sampled shadow check (a near-miss refused by the threshold:
 * the cached answer that would have been served, judged against the question asked, with the
 * fresh answer as reference). Texts are redacted; the trace drops them (evaluator trace-record).
 * The verdict is counted in the namespace's band (scorer, band) for the false-hit bound.
 */
import { bandKey } from "./calibration/bands";
import type { CacheLookupResult } from "./types";

export interface CacheAuditPayload {
  kind: "hit" | "shadow";
  entryId: string;
  similarity: number;
  cachedQuestion: string;
  question: string;
  cachedModelOrTier: string;
  cachedAt: number;
  /** Calibration scorer and band key (hit score floor in thousandths). */
  scorer: string;
  band: number;
  /** Shadow checks only: the answer the cache would have served. */
  cachedAnswer?: string;
}

/** Longest cached answer put on the queue for a shadow check (the judge clips further). */
const MAX_CACHED_ANSWER = 6_000;

export function auditPayload(result: CacheLookupResult): CacheAuditPayload | null {
  const band = result.semantic?.band;
  if (!result.audit || !result.entry || result.similarity === undefined || band === undefined || band < 0 || !result.semantic) return null;
  return {
    kind: "hit",
    entryId: result.entry.entryId,
    similarity: result.similarity,
    cachedQuestion: result.entry.question,
    question: result.context.question,
    cachedModelOrTier: result.entry.modelOrTier,
    cachedAt: result.entry.createdAt,
    scorer: result.semantic.scorer,
    band: bandKey(band),
  };
}

export function shadowPayload(result: CacheLookupResult): CacheAuditPayload | null {
  const shadow = result.shadow;
  if (!shadow || !result.semantic || result.status !== "miss") return null;
  const answer = shadow.entry.response.choices.map((c) => c.message.content ?? "").join("\n");
  return {
    kind: "shadow",
    entryId: shadow.entry.entryId,
    similarity: shadow.score,
    cachedQuestion: shadow.entry.question,
    question: result.context.question,
    cachedModelOrTier: shadow.entry.modelOrTier,
    cachedAt: shadow.entry.createdAt,
    scorer: result.semantic.scorer,
    band: bandKey(shadow.band),
    cachedAnswer: answer.slice(0, MAX_CACHED_ANSWER),
  };
}
