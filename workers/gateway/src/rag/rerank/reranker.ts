/** What a reranker sees: the query and fused candidates with each retriever's evidence. */
import type { ChunkRecord } from "../store/chunks-repo";

export interface Candidate {
  chunk: ChunkRecord;
  /** BM25 (higher is better) or null when the lexical retriever did not return it. */
  bm25: number | null;
  bm25Rank: number | null;
  dense: number | null;
  denseRank: number | null;
  fused: number;
}

/** Corpus statistics the local reranker weighs terms with (none needed by cross-encoders). */
export interface TermStats {
  /** Chunks in the index the frequencies were counted over. */
  total: number;
  df: ReadonlyMap<string, number>;
}

export interface Reranker {
  /** "workers-ai:@cf/baai/bge-reranker-base", "local:<model id>". */
  readonly id: string;
  /** Stemmed terms whose document frequencies it needs (empty: none). */
  needsStats(query: string): string[];
  /** One score per candidate (higher is more relevant), and which reranker produced them. */
  score(query: string, candidates: readonly Candidate[], stats: TermStats): Promise<RerankScores>;
}

export interface RerankScores {
  scores: number[];
  /** The id of the reranker that scored: a fallback's own id when the primary failed. */
  by: string;
  /** Set when the primary failed and a fallback scored: which one failed and why (no content). */
  fallback?: { from: string; reason: string };
}
