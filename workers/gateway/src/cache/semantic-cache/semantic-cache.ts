/**
 * Semantic side of the cache: neighbours of the redacted question within the request's
 * namespace (tenant + scope + fingerprint + generation + embedder), checked in similarity
 * order. A neighbour becomes a hit only if its entry still exists for this tenant, has the
 * same fingerprint, and passes guardCompatible against the stored question.
 */
import type { Embedder } from "../embedder/embedder";
import type { CacheKeys } from "../cache-key/cache-key";
import { readEntry, type CacheEntry } from "../exact-cache/cache-entry";
import { guardCompatible } from "../guards/guard-compatible";
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
  topK: number;
  now: number;
}

export type SemanticOutcome = { hit: true; entry: CacheEntry; similarity: number } | { hit: false; reason: string; similarity?: number };

export function vectorNamespace(keys: CacheKeys, embedder: Embedder): string {
  return `${keys.namespace}/${embedder.id}`;
}

export async function findSemanticHit(deps: SemanticDeps, q: SemanticQuery): Promise<SemanticOutcome> {
  const matches = await deps.vectors.query(q.embedding, {
    topK: q.topK,
    namespace: vectorNamespace(q.keys, deps.embedder),
    tenantId: q.tenantId,
    minScore: q.threshold,
  });
  let refusal: SemanticOutcome = { hit: false, reason: "no-neighbour" };
  for (const m of matches) {
    if (m.score < q.threshold) break;
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
    return { hit: true, entry, similarity: m.score };
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
