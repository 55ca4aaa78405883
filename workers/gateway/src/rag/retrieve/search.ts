/**
 * Hybrid search over one collection: BM25 (D1 FTS5) and dense (embedder + vector index) in
 * parallel, each `candidates` deep; chunk rows read back from D1 (which also applies the
 * metadata filters and drops vectors of deleted or replaced chunks); reciprocal rank fusion;
 * then the reranker over the fused head. Every hit keeps each stage's score.
 */
import type { Embedder } from "../../cache/embedder/embedder";
import { chunksByIds, countChunks, documentFrequencies, lexicalSearch, type ChunkRecord } from "../store/chunks-repo";
import type { DenseIndex } from "../store/dense-index";
import type { MetadataFilters } from "../store/filters";
import type { CollectionScope } from "../store/scope";
import type { Candidate, Reranker, RerankScores } from "../rerank/reranker";
import { reciprocalRankFusion } from "./fuse";

export interface SearchOptions {
  query: string;
  topK: number;
  filters?: MetadataFilters;
  /** Depth of each retriever and of the reranked head (default 50). */
  candidates?: number;
  rerank?: boolean;
  /** Which retrievers run (default both). */
  mode?: "hybrid" | "lexical" | "dense";
}

export interface SearchDeps {
  db: D1Database;
  dense: DenseIndex;
  embedder: Embedder;
  reranker: Reranker | null;
}

export interface SearchHit extends Candidate {
  rank: number;
  rerank: number | null;
}

export interface SearchResult {
  hits: SearchHit[];
  /** The reranker that actually scored (a fallback's id when the primary failed), or null. */
  reranker: string | null;
  /** Set when the configured reranker failed and its fallback scored instead. */
  rerankerFallback: { from: string; reason: string } | null;
  timings: Record<string, number>;
}

export const DEFAULT_CANDIDATES = 50;

async function timed<T>(timings: Record<string, number>, name: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    timings[name] = Math.round((performance.now() - t0) * 100) / 100;
  }
}

export async function hybridSearch(deps: SearchDeps, scope: CollectionScope, o: SearchOptions): Promise<SearchResult> {
  const timings: Record<string, number> = {};
  const depth = o.candidates ?? DEFAULT_CANDIDATES;
  const mode = o.mode ?? "hybrid";
  const [lexical, dense] = await Promise.all([
    mode === "dense" ? [] : timed(timings, "lexical", () => lexicalSearch(deps.db, scope, o.query, depth, o.filters)),
    mode === "lexical"
      ? []
      : timed(timings, "dense", async () => {
          const [v] = await deps.embedder.embed([o.query]);
          // Filters are applied on the D1 read-back, so fetch deeper when there are some.
          return v ? deps.dense.search(scope, v, o.filters && Object.keys(o.filters).length ? depth * 4 : depth) : [];
        }),
  ]);
  const ids = [...new Set([...lexical.map((h) => h.chunkId), ...dense.map((h) => h.chunkId)])];
  const rows = await timed(timings, "read", () => chunksByIds(deps.db, scope, ids, o.filters));
  const byId = new Map<string, ChunkRecord>(rows.map((r) => [r.chunkId, r]));
  const lexKept = lexical.filter((h) => byId.has(h.chunkId));
  const denseKept = dense.filter((h) => byId.has(h.chunkId)).slice(0, depth);
  const fused = reciprocalRankFusion([
    { name: "bm25", ids: lexKept.map((h) => h.chunkId) },
    { name: "dense", ids: denseKept.map((h) => h.chunkId) },
  ]);
  const bm25 = new Map(lexKept.map((h) => [h.chunkId, h.score]));
  const cos = new Map(denseKept.map((h) => [h.chunkId, h.score]));
  const candidates: Candidate[] = fused.slice(0, depth).map((f) => ({
    chunk: byId.get(f.id) as ChunkRecord,
    bm25: bm25.get(f.id) ?? null,
    bm25Rank: f.ranks.bm25 ?? null,
    dense: cos.get(f.id) ?? null,
    denseRank: f.ranks.dense ?? null,
    fused: f.score,
  }));
  let reranked: RerankScores | null = null;
  const reranker = o.rerank === false ? null : deps.reranker;
  if (reranker && candidates.length > 1) {
    reranked = await timed(timings, "rerank", async () => {
      const stems = reranker.needsStats(o.query);
      const [df, total] = stems.length ? await Promise.all([documentFrequencies(deps.db, stems), countChunks(deps.db, scope)]) : [new Map<string, number>(), 0];
      return reranker.score(o.query, candidates, { df, total });
    });
  }
  const scores = reranked?.scores ?? null;
  const order = candidates.map((c, i) => ({ c, s: scores ? (scores[i] ?? Number.NEGATIVE_INFINITY) : c.fused, i }));
  order.sort((a, b) => b.s - a.s || a.i - b.i);
  return {
    hits: order.slice(0, o.topK).map((o2, r) => ({ ...o2.c, rank: r + 1, rerank: scores ? o2.s : null })),
    reranker: reranked?.by ?? null,
    rerankerFallback: reranked?.fallback ?? null,
    timings,
  };
}
