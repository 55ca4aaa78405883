/**
 * Production reranker: the bge-reranker-base cross-encoder on Workers AI through the AI binding.
 * Input `{ query, contexts: [{ text }] }`, output `{ response: [{ id, score }] }` with `id` the
 * context's index (https://developers.cloudflare.com/workers-ai/models/bge-reranker-base/).
 * Any failure falls back to the local reranker for that request, so search never fails on it.
 */
import { z } from "zod";
import type { Candidate, Reranker, TermStats } from "./reranker";

export const WORKERS_AI_RERANKER = "@cf/baai/bge-reranker-base";
const ResponseSchema = z.object({ response: z.array(z.object({ id: z.number().int(), score: z.number() })) });
/** Characters of a chunk the cross-encoder reads (it truncates at 512 tokens anyway). */
const MAX_CONTEXT_CHARS = 2000;

export type AiRun = (model: string, input: unknown) => Promise<unknown>;

export function createWorkersAiReranker(run: AiRun, fallback: Reranker): Reranker {
  return {
    id: `workers-ai:${WORKERS_AI_RERANKER}`,
    needsStats: (query) => fallback.needsStats(query),
    async score(query: string, candidates: readonly Candidate[], stats: TermStats): Promise<number[]> {
      if (candidates.length === 0) return [];
      try {
        const raw = await run(WORKERS_AI_RERANKER, {
          query,
          contexts: candidates.map((c) => ({ text: `${c.chunk.heading}\n${c.chunk.text}`.slice(0, MAX_CONTEXT_CHARS) })),
          top_k: candidates.length,
        });
        const parsed = ResponseSchema.parse(raw);
        const scores = new Array<number>(candidates.length).fill(Number.NEGATIVE_INFINITY);
        for (const r of parsed.response) if (r.id >= 0 && r.id < scores.length) scores[r.id] = r.score;
        if (scores.some((s) => !Number.isFinite(s))) throw new Error("reranker left candidates unscored");
        return scores;
      } catch (err) {
        console.warn(JSON.stringify({ level: "warn", msg: "workers-ai reranker failed; local fallback", error: err instanceof Error ? err.name : "unknown" }));
        return fallback.score(query, candidates, stats);
      }
    },
  };
}
