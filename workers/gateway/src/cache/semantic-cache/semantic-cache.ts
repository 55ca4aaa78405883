/**
 * Semantic side of the cache: neighbours of the redacted question within the request's
 * namespace (tenant + scope + fingerprint + generation + embedder), checked in cosine order.
 * A neighbour becomes a hit only if its entry still exists for this tenant, has the same
 * fingerprint, passes guardCompatible against the stored question, and its hit score (cosine
 * minus the content-word penalty, hit-score.ts) reaches the threshold. The score is never above
 * the cosine, so the index may skip everything below max(threshold, minCosine); the score is
 * what `similarity` (x-cache-similarity) reports.
 */
import type { Embedder } from "../embedder/embedder";
import type { CacheKeys } from "../cache-key/cache-key";
import { readEntry, type CacheEntry } from "../exact-cache/cache-entry";
import { guardCompatible } from "../guards/guard-compatible";
import { hitScore } from "./hit-score";
import type { VectorStore } from "../vector-store/vector-store";

export interface SemanticDeps {
  kv: KVNamespace;
  vectors: VectorStore;
  embedder: Embedder;
}

export interface SemanticQuery {
  tenantId: string;
  keys: CacheKeys;
  question: string;
  embedding: Float32Array;
  threshold: number;
  lexicalWeight: number;
  minCosine: number;
  topK: number;
  now: number;
}

export type SemanticOutcome = { hit: true; entry: CacheEntry; similarity: number } | { hit: false; reason: string; similarity?: number };

export function vectorNamespace(keys: CacheKeys, embedder: Embedder): string {
  return `${keys.namespace}/${embedder.id}`;
}

export async function findSemanticHit(deps: SemanticDeps, q: SemanticQuery): Promise<SemanticOutcome> {
  const minScore = Math.max(q.threshold, q.minCosine);
  const matches = await deps.vectors.query(q.embedding, {
    topK: q.topK,
    namespace: vectorNamespace(q.keys, deps.embedder),
    tenantId: q.tenantId,
    minScore,
  });
  let refusal: SemanticOutcome = { hit: false, reason: "no-neighbour" };
  for (const m of matches) {
    if (m.score < minScore) break;
    if (m.metadata.tenantId !== q.tenantId || m.metadata.fingerprint !== q.keys.fingerprint) continue;
    const entry = await readEntry(deps.kv, m.metadata.entryKey, q.tenantId, q.now);
    if (!entry || entry.fingerprint !== q.keys.fingerprint) {
      refusal = { hit: false, reason: "stale-entry", similarity: m.score };
      continue;
    }
    const verdict = guardCompatible(q.question, entry.question);
    if (!verdict.ok) {
      if (refusal.reason === "no-neighbour") refusal = { hit: false, reason: `guard:${verdict.reason}`, similarity: m.score };
      continue;
    }
    const score = hitScore(m.score, q.question, entry.question, q.lexicalWeight);
    if (score < q.threshold) {
      if (refusal.reason === "no-neighbour") refusal = { hit: false, reason: "lexical", similarity: score };
      continue;
    }
    return { hit: true, entry, similarity: score };
  }
  return refusal;
}

export async function indexEntry(deps: SemanticDeps, keys: CacheKeys, entry: CacheEntry, embedding: Float32Array): Promise<void> {
  await deps.vectors.upsert([
    {
      id: entry.entryId,
      namespace: vectorNamespace(keys, deps.embedder),
      vector: embedding,
      metadata: { tenantId: entry.tenantId, feature: entry.feature ?? "_", fingerprint: entry.fingerprint, entryKey: keys.exactKey },
      expiresAt: entry.expiresAt,
    },
  ]);
}
