/**
 * Semantic side of the cache: neighbours of the redacted question within the request's
 * namespace (tenant + scope + fingerprint + generation + embedder), checked in cosine order.
 * A neighbour becomes a hit only if its entry still exists for this tenant, has the same
 * fingerprint, passes guardCompatible against the stored question, and its hit score (cosine
 * minus the content-word penalty, hit-score.ts) reaches the threshold in force (the gate's,
 * calibration/gate.ts). The first neighbour refused says why (a guard, the bound, the cold
 * start); the first guard-passing one under the threshold is the shadow-check candidate.
 */
import type { Embedder } from "../embedder/embedder";
import type { CacheKeys } from "../cache-key/cache-key";
import { readEntry, type CacheEntry } from "../exact-cache/cache-entry";
import { guardCompatible } from "../guards/guard-compatible";
import { bandOf } from "../calibration/bands";
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
  /** Lowest hit score served (the gate's threshold, or a stricter client override); null = none. */
  threshold: number | null;
  /** Why a guard-passing neighbour under the threshold is refused ("lexical", "cold-start", "bound"). */
  belowThreshold: string;
  /** The bound of a score's band, for the trace (null when the gate has none). */
  boundAt: (score: number) => number | null;
  lexicalWeight: number;
  minCosine: number;
  topK: number;
  now: number;
}

/** The closest neighbour that was not served, and why. */
export interface NearMiss {
  score: number;
  band: number;
  reason: string;
  upperBound: number | null;
}

/** A guard-passing neighbour refused only by the threshold: what a shadow check would judge. */
export interface ShadowCandidate {
  entry: CacheEntry;
  score: number;
  band: number;
}

export type SemanticOutcome =
  | { hit: true; entry: CacheEntry; similarity: number; band: number }
  | { hit: false; reason: string; nearMiss?: NearMiss; shadow?: ShadowCandidate };

export function vectorNamespace(keys: CacheKeys, embedder: Embedder): string {
  return `${keys.namespace}/${embedder.id}`;
}

export async function findSemanticHit(deps: SemanticDeps, q: SemanticQuery): Promise<SemanticOutcome> {
  // Neighbours under the threshold are still looked at (near-miss reasons, shadow checks), so the
  // index prunes at the cosine floor only; the score never exceeds the cosine.
  const minScore = q.minCosine;
  const matches = await deps.vectors.query(q.embedding, { topK: q.topK, namespace: vectorNamespace(q.keys, deps.embedder), tenantId: q.tenantId, minScore });
  let refusal: { reason: string; nearMiss?: NearMiss } = { reason: "no-neighbour" };
  let shadow: ShadowCandidate | undefined;
  const refuse = (reason: string, score: number): void => {
    if (refusal.reason !== "no-neighbour") return;
    const band = bandOf(score);
    refusal = { reason, nearMiss: { score, band, reason, upperBound: q.boundAt(score) } };
  };
  for (const m of matches) {
    if (m.score < minScore) break;
    if (m.metadata.tenantId !== q.tenantId || m.metadata.fingerprint !== q.keys.fingerprint) continue;
    const entry = await readEntry(deps.kv, m.metadata.entryKey, q.tenantId, q.now);
    if (!entry || entry.fingerprint !== q.keys.fingerprint) {
      if (refusal.reason === "no-neighbour") refusal = { reason: "stale-entry" };
      continue;
    }
    const score = hitScore(m.score, q.question, entry.question, q.lexicalWeight);
    const verdict = guardCompatible(q.question, entry.question);
    if (!verdict.ok) {
      refuse(`guard:${verdict.reason}`, score);
      continue;
    }
    if (q.threshold !== null && score >= q.threshold) return { hit: true, entry, similarity: score, band: bandOf(score) };
    refuse(q.belowThreshold, score);
    const band = bandOf(score);
    if (!shadow && band >= 0) shadow = { entry, score, band };
  }
  return { hit: false, ...refusal, ...(shadow ? { shadow } : {}) };
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
