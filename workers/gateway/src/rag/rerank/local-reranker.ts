/**
 * The reranker trained here (scripts/rag/train-reranker.ts, SciFact train claims only): the
 * interaction features of features.ts scored by a small MLP. Features use the shipped local
 * embedder whatever embedder the collection's dense index uses, as in training.
 */
import type { LocalEmbedder } from "../../cache/embedder/local/local-embedder";
import { distinctTerms } from "../text/terms";
import { candidateFeatures, FEATURE_NAMES, queryInfo } from "./features";
import { RerankModelSchema, scoreFeatures, type RerankModel } from "./mlp";
import type { Candidate, Reranker, RerankScores, TermStats } from "./reranker";
import shipped from "./model/reranker.json";

let parsed: RerankModel | undefined;

export function shippedRerankModel(): RerankModel {
  parsed ??= RerankModelSchema.parse(shipped);
  if (parsed.features.join() !== FEATURE_NAMES.join()) throw new Error("reranker model was trained on other features");
  return parsed;
}

export function createLocalReranker(embedder: LocalEmbedder, model: RerankModel = shippedRerankModel()): Reranker {
  const id = `local:${model.id}`;
  return {
    id,
    needsStats: (query) => distinctTerms(query),
    async score(query: string, candidates: readonly Candidate[], stats: TermStats): Promise<RerankScores> {
      if (candidates.length === 0) return { scores: [], by: id };
      const q = await queryInfo(query, stats, embedder);
      const features = await candidateFeatures(q, candidates, embedder);
      return { scores: features.map((x) => scoreFeatures(model, x)), by: id };
    },
  };
}
