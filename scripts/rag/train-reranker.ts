/**
 * Trains the local reranker (npm run rag:train-reranker) on SciFact *train claims only*, read
 * in place from ../shared/data/rag/scifact-dev. Claims are split by group (bench/rag/scifact.ts):
 * fold 0 is held out and touched once, after the model is chosen; the configuration (hidden
 * units, L2) is chosen by 4-fold cross-validation over folds 1-4 (nDCG@10 of the reranked
 * documents, each fold scored by a model fitted on the other three); the shipped model is then
 * fitted on folds 1-4. Writes workers/gateway/src/rag/rerank/model/reranker.json with its
 * provenance (CV and held-out numbers beside the fused baseline on the same claims).
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { FEATURE_NAMES } from "../../workers/gateway/src/rag/rerank/features";
import { scoreFeatures, type RerankModel } from "../../workers/gateway/src/rag/rerank/mlp";
import { claimCandidates, type ClaimCandidates } from "../../bench/rag/claim-candidates";
import { HELD_OUT_FOLD, loadClaims, loadCorpus, ndcgAt } from "../../bench/rag/scifact";
import { buildIndex, localEmbedder } from "../../bench/rag/scifact-index";
import { fitMlp, type FitOptions } from "./fit-mlp";
import { parseCli } from "../lib/cli";

parseCli({
  name: "npm run rag:train-reranker --",
  summary: "Trains the local RAG reranker on SciFact train claims (../shared/data/rag/scifact-dev): configuration by 4-fold CV over the dev folds, fold 0 held out and scored once; writes workers/gateway/src/rag/rerank/model/reranker.json. Runs for 10-30 minutes.",
});

const OUT = join(import.meta.dirname, "../../workers/gateway/src/rag/rerank/model/reranker.json");
const CHUNKING = { size: 1000, overlap: 150 };
const GRID: Array<Pick<FitOptions, "hidden" | "l2">> = [
  { hidden: 0, l2: 1e-4 },
  { hidden: 0, l2: 1e-2 },
  { hidden: 4, l2: 1e-2 },
  { hidden: 8, l2: 3e-2 },
];
const BASE = { epochs: 300, lr: 0.02, seed: 17 };

function ndcgOf(set: readonly ClaimCandidates[], score: (c: ClaimCandidates) => number[]): number {
  let total = 0;
  for (const c of set) {
    const s = score(c);
    const order = c.docs.map((d, i) => ({ d, s: s[i] ?? 0, i })).sort((a, b) => b.s - a.s || a.i - b.i);
    total += ndcgAt([...new Set(order.map((o) => o.d))], c.claim.relevant, 10);
  }
  return set.length ? total / set.length : 0;
}

const fused = (c: ClaimCandidates) => c.candidates.map((x) => x.fused);
const byModel = (m: RerankModel) => (c: ClaimCandidates) => c.features.map((x) => scoreFeatures(m, x));
const groups = (set: readonly ClaimCandidates[]) => set.map((c) => ({ x: c.features, y: c.labels }));

async function main(): Promise<void> {
  const corpus = loadCorpus();
  const claims = loadClaims();
  console.log(`corpus ${corpus.length} abstracts, ${claims.length} claims`);
  const idx = await buildIndex(corpus, CHUNKING, localEmbedder());
  console.log(`indexed ${idx.chunks} chunks in ${(idx.ingestMs / 1000).toFixed(1)} s`);
  const dev = await claimCandidates(idx, claims.filter((c) => c.fold !== HELD_OUT_FOLD));
  const devFolds = [...new Set(dev.map((c) => c.claim.fold))].sort();
  const cv: Array<{ config: (typeof GRID)[number]; ndcg: number; perFold: number[] }> = [];
  for (const config of GRID) {
    const perFold = devFolds.map((f) => {
      const model = fitMlp(groups(dev.filter((c) => c.claim.fold !== f)), FEATURE_NAMES, { ...BASE, ...config });
      return ndcgOf(dev.filter((c) => c.claim.fold === f), byModel(model));
    });
    const ndcg = perFold.reduce((a, b) => a + b, 0) / perFold.length;
    cv.push({ config, ndcg, perFold });
    console.log(`cv hidden=${config.hidden} l2=${config.l2}: nDCG@10 ${ndcg.toFixed(4)} (${perFold.map((x) => x.toFixed(3)).join(" ")})`);
  }
  const best = [...cv].sort((a, b) => b.ndcg - a.ndcg)[0] as (typeof cv)[number];
  const model = fitMlp(groups(dev), FEATURE_NAMES, { ...BASE, ...best.config });
  const devFit = ndcgOf(dev, byModel(model));
  // Held-out claims: scored once, with the model chosen and fitted above.
  const heldOut = await claimCandidates(idx, claims.filter((c) => c.fold === HELD_OUT_FOLD));
  const provenance = {
    data: "SciFact train claims (shared/data/rag/scifact-dev), split by claim group into 5 folds; fold 0 held out",
    chunking: CHUNKING,
    candidates: "fused BM25 + dense (local embedder) top 50",
    objective: "listwise softmax cross-entropy, Adam, full batch",
    chosen: { ...BASE, ...best.config },
    cv: cv.map((c) => ({ ...c.config, ndcg10: Number(c.ndcg.toFixed(4)) })),
    dev: { claims: dev.length, fused_ndcg10: Number(ndcgOf(dev, fused).toFixed(4)), cv_rerank_ndcg10: Number(best.ndcg.toFixed(4)), in_sample_rerank_ndcg10: Number(devFit.toFixed(4)) },
    held_out: { claims: heldOut.length, fused_ndcg10: Number(ndcgOf(heldOut, fused).toFixed(4)), rerank_ndcg10: Number(ndcgOf(heldOut, byModel(model)).toFixed(4)) },
  };
  const shipped: RerankModel = { ...model, id: `scifact-mlp${best.config.hidden}-v1`, provenance };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(shipped)}\n`);
  console.log(JSON.stringify(provenance, null, 2));
}

await main();
