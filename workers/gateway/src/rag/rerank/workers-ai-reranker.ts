/**
 * Production reranker: the bge-reranker-base cross-encoder on Workers AI through the AI binding.
 * Input `{ query, contexts: [{ text }] }`, output `{ response: [{ id, score }] }` with `id` the
 * context's index (https://developers.cloudflare.com/workers-ai/models/bge-reranker-base/).
 * Any failure falls back to the local reranker for that request, so search never fails on it;
 * the result names the reranker that actually scored and why the primary did not, so the
 * search answer and the chat trace never credit the cross-encoder with the fallback's order.
 */
import { z } from "zod";
import type { Candidate, Reranker, RerankScores, TermStats } from "./reranker";

export const WORKERS_AI_RERANKER = "@cf/baai/bge-reranker-base";
const ResponseSchema = z.object({ response: z.array(z.object({ id: z.number().int(), score: z.number() })) });
/** Characters of a chunk the cross-encoder reads (it truncates at 512 tokens anyway). */
const MAX_CONTEXT_CHARS = 2000;

export type AiRun = (model: string, input: unknown) => Promise<unknown>;

class Unscored extends Error {
  override name = "Unscored";
}

/** Why the binding's answer was not used: an error class name or a shape problem, never content. */
const reasonOf = (err: unknown): string => (err instanceof z.ZodError ? "malformed_response" : err instanceof Unscored ? "incomplete_response" : "binding_error");

export function createWorkersAiReranker(run: AiRun, fallback: Reranker): Reranker {
  const id = `workers-ai:${WORKERS_AI_RERANKER}`;
  return {
    id,
    needsStats: (query) => fallback.needsStats(query),
    async score(query: string, candidates: readonly Candidate[], stats: TermStats): Promise<RerankScores> {
      if (candidates.length === 0) return { scores: [], by: id };
      try {
        const raw = await run(WORKERS_AI_RERANKER, {
          query,
          contexts: candidates.map((c) => ({ text: `${c.chunk.heading}\n${c.chunk.text}`.slice(0, MAX_CONTEXT_CHARS) })),
          top_k: candidates.length,
        });
        const parsed = ResponseSchema.parse(raw);
        const scores = new Array<number>(candidates.length).fill(Number.NEGATIVE_INFINITY);
        for (const r of parsed.response) if (r.id >= 0 && r.id < scores.length) scores[r.id] = r.score;
        if (scores.some((s) => !Number.isFinite(s))) throw new Unscored("reranker left candidates unscored");
        return { scores, by: id };
      } catch (err) {
        const reason = reasonOf(err);
        console.warn(JSON.stringify({ level: "warn", msg: "workers-ai reranker failed; local fallback", reason, error: err instanceof Error ? err.name : "unknown" }));
        const local = await fallback.score(query, candidates, stats);
        return { ...local, fallback: { from: id, reason } };
      }
    },
  };
}
