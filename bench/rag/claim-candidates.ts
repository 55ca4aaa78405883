/**
 * Per claim: the fused candidates (no rerank) as the gateway's search builds them, with the
 * local reranker's features, so training and evaluation score exactly what the Worker scores.
 */
import { shippedRerankFeatures } from "./rerank-features";
import { hybridSearch } from "../../workers/gateway/src/rag/retrieve/search";
import type { Candidate } from "../../workers/gateway/src/rag/rerank/reranker";
import type { BuiltIndex } from "./scifact-index";
import type { Claim } from "./scifact";

export interface ClaimCandidates {
  claim: Claim;
  candidates: Candidate[];
  features: Float32Array[];
  /** Document id of each candidate. */
  docs: string[];
  labels: number[];
}

export const CANDIDATE_DEPTH = 50;

export async function claimCandidates(idx: BuiltIndex, claims: readonly Claim[], depth = CANDIDATE_DEPTH): Promise<ClaimCandidates[]> {
  const out: ClaimCandidates[] = [];
  for (const claim of claims) {
    const r = await hybridSearch({ ...idx, reranker: null }, idx.scope, { query: claim.text, topK: depth, candidates: depth, rerank: false });
    const candidates: Candidate[] = r.hits;
    const features = await shippedRerankFeatures(idx, claim.text, candidates);
    const docs = candidates.map((c) => c.chunk.documentId);
    out.push({ claim, candidates, features, docs, labels: docs.map((d) => (claim.relevant.has(d) ? 1 : 0)) });
  }
  return out;
}
