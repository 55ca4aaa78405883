/** The wire shape of a search result: each chunk with every retriever's score and rank. */
import type { SearchResult } from "./retrieve/search";

const round = (x: number | null, digits = 6): number | null => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

export function searchView(collection: string, r: SearchResult) {
  return {
    object: "list",
    collection,
    reranker: r.reranker,
    ...(r.rerankerFallback ? { reranker_fallback: r.rerankerFallback } : {}),
    data: r.hits.map((h) => ({
      chunk_id: h.chunk.chunkId,
      document_id: h.chunk.documentId,
      rank: h.rank,
      heading: h.chunk.heading,
      text: h.chunk.text,
      metadata: h.chunk.metadata,
      scores: {
        bm25: round(h.bm25),
        bm25_rank: h.bm25Rank,
        dense: round(h.dense),
        dense_rank: h.denseRank,
        fused: round(h.fused),
        rerank: round(h.rerank),
      },
    })),
    timings_ms: r.timings,
  };
}
