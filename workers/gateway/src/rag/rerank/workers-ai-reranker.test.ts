import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChunkRecord } from "../store/chunks-repo";
import { hybridSearch } from "../retrieve/search";
import { DOCS, ragFixture } from "../testing/fixtures";
import { createLocalReranker } from "./local-reranker";
import type { Candidate, Reranker, TermStats } from "./reranker";
import { createWorkersAiReranker, WORKERS_AI_RERANKER, type AiRun } from "./workers-ai-reranker";

const chunk = (id: string, text: string): ChunkRecord => ({ chunkId: id, documentId: id, contentHash: "h", seq: 0, heading: `About ${id}`, text, metadata: {} });
const CANDIDATES: Candidate[] = [
  { chunk: chunk("a", "Owls hunt at night."), bm25: 2, bm25Rank: 1, dense: 0.4, denseRank: 2, fused: 0.03 },
  { chunk: chunk("b", "Herons wade in shallow water."), bm25: 1, bm25Rank: 2, dense: 0.5, denseRank: 1, fused: 0.02 },
  { chunk: chunk("c", "Swifts sleep on the wing."), bm25: null, bm25Rank: null, dense: 0.3, denseRank: 3, fused: 0.01 },
];
const STATS: TermStats = { total: 3, df: new Map() };

/** A fallback whose scores are recognisable: the reverse of the fused order. */
function fakeLocal(): Reranker & { calls: number } {
  const r = {
    id: "local:fake",
    calls: 0,
    needsStats: () => ["owl"],
    async score(_q: string, cs: readonly Candidate[]) {
      r.calls++;
      return { scores: cs.map((_c, i) => i), by: "local:fake" };
    },
  };
  return r;
}

afterEach(() => vi.restoreAllMocks());

describe("createWorkersAiReranker", () => {
  it("sends the query and each candidate's heading and text, and scores by the binding's ids", async () => {
    const seen: Array<{ model: string; input: unknown }> = [];
    const run: AiRun = async (model, input) => {
      seen.push({ model, input });
      // Out of order, as the model returns them sorted by score.
      return { response: [{ id: 2, score: 0.91 }, { id: 0, score: 0.42 }, { id: 1, score: 0.07 }] };
    };
    const local = fakeLocal();
    const out = await createWorkersAiReranker(run, local).score("which bird sleeps flying?", CANDIDATES, STATS);
    expect(out).toEqual({ scores: [0.42, 0.07, 0.91], by: `workers-ai:${WORKERS_AI_RERANKER}` });
    expect(local.calls).toBe(0);
    expect(seen).toEqual([
      {
        model: WORKERS_AI_RERANKER,
        input: { query: "which bird sleeps flying?", contexts: CANDIDATES.map((c) => ({ text: `${c.chunk.heading}\n${c.chunk.text}` })), top_k: 3 },
      },
    ]);
  });

  it.each([
    ["the binding throws", async () => Promise.reject(new Error("AiError: 3040 capacity")), "binding_error"],
    ["the output has the wrong shape", async () => ({ result: [{ index: 0, relevance: 1 }] }), "malformed_response"],
    ["a score is not a number", async () => ({ response: [{ id: 0, score: "high" }, { id: 1, score: 1 }, { id: 2, score: 2 }] }), "malformed_response"],
    ["a candidate is left unscored", async () => ({ response: [{ id: 0, score: 1 }, { id: 7, score: 2 }] }), "incomplete_response"],
  ] as Array<[string, AiRun, string]>)("falls back to the local reranker when %s, and says so", async (_name, run, reason) => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const local = fakeLocal();
    const out = await createWorkersAiReranker(run, local).score("q", CANDIDATES, STATS);
    expect(out).toEqual({ scores: [0, 1, 2], by: "local:fake", fallback: { from: `workers-ai:${WORKERS_AI_RERANKER}`, reason } });
    expect(local.calls).toBe(1);
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]?.[0])).not.toContain("Owls");
  });

  it("asks the fallback's term statistics, since it may have to score", () => {
    expect(createWorkersAiReranker(async () => ({ response: [] }), fakeLocal()).needsStats("owls")).toEqual(["owl"]);
  });
});

describe("hybrid search with the Workers AI reranker", () => {
  const scope = { tenantId: "t1", collectionId: "howto" };

  it("orders hits by the cross-encoder's scores and names it", async () => {
    const { deps, ingest, embedder } = await ragFixture();
    await ingest(scope, DOCS);
    // Scores the kitchen documents highest, whatever the query: the order must follow them.
    const run: AiRun = async (_m, input) => ({
      response: (input as { contexts: Array<{ text: string }> }).contexts.map((c, id) => ({ id, score: c.text.includes("Sourdough") ? 5 : c.text.includes("tea") ? 4 : 0 })),
    });
    const result = await hybridSearch({ ...deps, reranker: createWorkersAiReranker(run, createLocalReranker(embedder)) }, scope, { query: "tea water leaves", topK: 3 });
    expect(result.hits.slice(0, 2).map((h) => h.chunk.documentId)).toEqual(["bread", "tea"]);
    expect(result.hits[0]?.rerank).toBe(5);
    expect(result.reranker).toBe(`workers-ai:${WORKERS_AI_RERANKER}`);
    expect(result.rerankerFallback).toBeNull();
  });

  it("when the binding fails, ranks exactly as the local reranker does and reports the fallback", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { deps, ingest, embedder } = await ragFixture();
    await ingest(scope, DOCS);
    const local = createLocalReranker(embedder);
    const q = { query: "how hot should the water be for tea", topK: 5 };
    const direct = await hybridSearch({ ...deps, reranker: local }, scope, q);
    const viaFallback = await hybridSearch({ ...deps, reranker: createWorkersAiReranker(async () => Promise.reject(new Error("down")), local) }, scope, q);
    expect(viaFallback.hits.map((h) => [h.chunk.chunkId, h.rerank])).toEqual(direct.hits.map((h) => [h.chunk.chunkId, h.rerank]));
    expect(viaFallback.reranker).toBe(local.id);
    expect(viaFallback.rerankerFallback).toEqual({ from: `workers-ai:${WORKERS_AI_RERANKER}`, reason: "binding_error" });
  });
});
