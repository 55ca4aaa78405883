/** The local reranker's features for one query, with term statistics read from the index. */
import { candidateFeatures, queryInfo } from "../../workers/gateway/src/rag/rerank/features";
import type { Candidate } from "../../workers/gateway/src/rag/rerank/reranker";
import { countChunks, documentFrequencies } from "../../workers/gateway/src/rag/store/chunks-repo";
import { distinctTerms } from "../../workers/gateway/src/rag/text/terms";
import type { BuiltIndex } from "./scifact-index";

export async function shippedRerankFeatures(idx: BuiltIndex, query: string, candidates: readonly Candidate[]): Promise<Float32Array[]> {
  const stems = distinctTerms(query);
  const stats = { df: await documentFrequencies(idx.db, stems), total: await countChunks(idx.db, idx.scope) };
  return candidateFeatures(await queryInfo(query, stats, idx.embedder), candidates, idx.embedder);
}
