/**
 * Query-chunk interaction features for the local reranker. Cross-encoders win by reading the
 * query against the passage; on a CPU budget of a few milliseconds for 50 candidates we keep
 * the signals that read the same way: how much of the query's rarity mass the chunk (and its
 * best sentence or sentence pair) covers, whether the rarest query term is missing, whether
 * query word pairs occur as adjacent pairs, whether the query's numbers occur, how much of the
 * missing rarity mass has a near-synonym in the chunk (word vectors: "reduces" ~ "decreases"),
 * dense similarity of the query to the chunk and to its closest sentence, how strongly the
 * chunk's document is retrieved overall, beside each retriever's score and rank. Every feature is scale-free (fractions, cosines, ranks normalised per query),
 * so a model fitted on one corpus reads another's the same way.
 */
import { cosine, type Embedder } from "../../cache/embedder/embedder";
import type { LocalEmbedder } from "../../cache/embedder/local/local-embedder";
import { splitSentences } from "../text/sentences";
import { isStopword, stemWord, terms, words } from "../text/terms";
import type { Candidate, TermStats } from "./reranker";

export const FEATURE_NAMES = [
  "bm25_norm", "bm25_rank", "dense_raw", "dense_rank", "rrf_norm",
  "coverage", "best_sentence", "best_pair", "heading_coverage", "rarest_missing",
  "bigrams", "numbers", "has_numbers", "cos_chunk", "cos_best_sentence", "cos_rel", "query_len", "chunk_len",
  "soft_coverage", "doc_best_bm25", "doc_chunks",
] as const;
export type FeatureVector = Float32Array;

export function idfOf(stats: TermStats, term: string): number {
  const df = stats.df.get(term) ?? 0;
  const n = Math.max(stats.total, df, 1);
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

interface QueryInfo {
  stems: string[];
  /** Content words with their stem, for near-synonym matching. */
  surface: Array<{ word: string; stem: string }>;
  idf: Map<string, number>;
  mass: number;
  maxIdf: number;
  bigrams: Set<string>;
  numbers: Set<string>;
  vector: Float32Array;
}

const NUMBER = /^\d+(?:\.\d+)?$/;
/** Sentences per chunk read for the sentence-level features. */
const MAX_SENTENCES = 40;

function coverageOf(q: QueryInfo, present: ReadonlySet<string>): number {
  let m = 0;
  for (const t of q.stems) if (present.has(t)) m += q.idf.get(t) ?? 0;
  return q.mass > 0 ? m / q.mass : 0;
}

function adjacentPairs(stems: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 1; i < stems.length; i++) out.add(`${stems[i - 1]} ${stems[i]}`);
  return out;
}

export async function queryInfo(query: string, stats: TermStats, embedder: Embedder): Promise<QueryInfo> {
  const seq = terms(query);
  const stems = [...new Set(seq)];
  const idf = new Map(stems.map((t) => [t, idfOf(stats, t)]));
  let mass = 0;
  let maxIdf = 0;
  for (const v of idf.values()) {
    mass += v;
    maxIdf = Math.max(maxIdf, v);
  }
  const [vector] = await embedder.embed([query]);
  const seen = new Set<string>();
  const surface = contentWords(query).filter((w) => !seen.has(w.stem) && seen.add(w.stem));
  return { stems, surface, idf, mass, maxIdf, bigrams: adjacentPairs(seq), numbers: new Set(words(query).filter((w) => NUMBER.test(w))), vector: vector ?? new Float32Array(embedder.dimensions) };
}

/** Content words of a text with their stems (at most `max`, distinct by stem). */
function contentWords(text: string, max = 400): Array<{ word: string; stem: string }> {
  const out: Array<{ word: string; stem: string }> = [];
  for (const w of words(text)) {
    if (isStopword(w) || NUMBER.test(w)) continue;
    out.push({ word: w, stem: stemWord(w) });
    if (out.length >= max) break;
  }
  return out;
}

// Single-word vectors are fixed for an embedder and the same words recur across candidates and
// queries, so they are kept per isolate and embedder (bounded: ~20k x 72 floats, cleared whole
// when full).
const WORD_VECTORS = new WeakMap<Embedder, Map<string, Float32Array>>();
const MAX_WORD_VECTORS = 20_000;

/** Word vectors (the embedder's vector of a single word), embedding only the words not yet seen. */
async function wordVectors(embedder: Embedder, wordsNeeded: ReadonlySet<string>): Promise<Map<string, Float32Array>> {
  let known = WORD_VECTORS.get(embedder);
  if (!known) WORD_VECTORS.set(embedder, (known = new Map()));
  const out = new Map<string, Float32Array>();
  const missing: string[] = [];
  for (const w of wordsNeeded) {
    const v = known.get(w);
    if (v) out.set(w, v);
    else missing.push(w);
  }
  if (missing.length === 0) return out;
  const vectors = await embedder.embed(missing);
  if (known.size + missing.length > MAX_WORD_VECTORS) known.clear();
  missing.forEach((w, i) => {
    const v = vectors[i] as Float32Array;
    out.set(w, v);
    known.set(w, v);
  });
  return out;
}

/** Share of the query's rarity mass that is missing from the chunk but has a near-synonym in it. */
function softCoverage(q: QueryInfo, present: ReadonlySet<string>, chunkWords: readonly string[], vectors: ReadonlyMap<string, Float32Array>): number {
  if (q.mass <= 0) return 0;
  let m = 0;
  for (const { word, stem } of q.surface) {
    if (present.has(stem)) continue;
    const v = vectors.get(word);
    if (!v) continue;
    let best = 0;
    for (const cw of chunkWords) best = Math.max(best, cosine(v, vectors.get(cw) as Float32Array));
    // Cosines of unrelated words sit below ~0.5 for these vectors; count the part above.
    m += (q.idf.get(stem) ?? 0) * Math.max(0, (best - 0.5) / 0.5);
  }
  return m / q.mass;
}

export async function candidateFeatures(q: QueryInfo, candidates: readonly Candidate[], embedder: LocalEmbedder): Promise<FeatureVector[]> {
  const maxBm25 = Math.max(1e-9, ...candidates.map((c) => c.bm25 ?? 0));
  const docBest = new Map<string, number>();
  const docCount = new Map<string, number>();
  for (const c of candidates) {
    const d = c.chunk.documentId;
    docBest.set(d, Math.max(docBest.get(d) ?? 0, (c.bm25 ?? 0) / maxBm25));
    docCount.set(d, (docCount.get(d) ?? 0) + 1);
  }
  const chunkWords = candidates.map((c) => [...new Set(contentWords(c.chunk.text).map((w) => w.word))]);
  const needed = new Set<string>(q.surface.map((w) => w.word));
  for (const ws of chunkWords) for (const w of ws) needed.add(w);
  const vocab = await wordVectors(embedder, needed);
  const maxRrf = Math.max(1e-9, ...candidates.map((c) => c.fused));
  // A chunk's text is exactly its sentences (split between tokens), so its word-vector sum and
  // its terms are built from theirs: every sentence is tokenized and stemmed once.
  const pieces = candidates.map((c) => {
    const all = splitSentences(c.chunk.text);
    const acc = embedder.accumulate(c.chunk.heading);
    const seq = terms(c.chunk.heading);
    const sentences = all.map((text, j) => {
      const sum = embedder.accumulate(text);
      for (let k = 0; k < sum.length; k++) acc[k] = (acc[k] ?? 0) + (sum[k] ?? 0);
      const ts = terms(text);
      seq.push(...ts);
      return j < MAX_SENTENCES ? { terms: new Set(ts), vector: embedder.finish(sum) } : null;
    });
    return { sentences: sentences.filter((x) => x !== null), vector: embedder.finish(acc), seq };
  });
  const chunkCos = pieces.map((p) => cosine(q.vector, p.vector));
  const bestCos = Math.max(1e-9, ...chunkCos);
  return candidates.map((c, i) => {
    const piece = pieces[i] as (typeof pieces)[number];
    let bestSentence = 0;
    let bestPair = 0;
    let cosSentence = -1;
    piece.sentences.forEach((sentence, j) => {
      bestSentence = Math.max(bestSentence, coverageOf(q, sentence.terms));
      const next = piece.sentences[j + 1];
      bestPair = Math.max(bestPair, next ? coverageOf(q, new Set([...sentence.terms, ...next.terms])) : coverageOf(q, sentence.terms));
      cosSentence = Math.max(cosSentence, cosine(q.vector, sentence.vector));
    });
    const chunkSeq = piece.seq;
    const chunkSet = new Set(chunkSeq);
    let rarestMissing = 0;
    for (const t of q.stems) if (!chunkSet.has(t)) rarestMissing = Math.max(rarestMissing, (q.idf.get(t) ?? 0) / Math.max(q.maxIdf, 1e-9));
    const pairs = adjacentPairs(chunkSeq);
    let bigramHits = 0;
    for (const b of q.bigrams) if (pairs.has(b)) bigramHits++;
    const chunkTokens = new Set(words(c.chunk.text));
    let numberHits = 0;
    for (const n of q.numbers) if (chunkTokens.has(n)) numberHits++;
    const f = [
      (c.bm25 ?? 0) / maxBm25,
      c.bm25Rank === null ? 0 : 1 / Math.log2(1 + c.bm25Rank),
      c.dense ?? 0,
      c.denseRank === null ? 0 : 1 / Math.log2(1 + c.denseRank),
      c.fused / maxRrf,
      coverageOf(q, chunkSet),
      bestSentence,
      bestPair,
      coverageOf(q, new Set(terms(c.chunk.heading))),
      rarestMissing,
      q.bigrams.size ? bigramHits / q.bigrams.size : 0,
      q.numbers.size ? numberHits / q.numbers.size : 0,
      q.numbers.size ? 1 : 0,
      chunkCos[i] ?? 0,
      Math.max(0, cosSentence),
      (chunkCos[i] ?? 0) / bestCos,
      Math.min(1, q.stems.length / 20),
      Math.min(1, chunkSeq.length / 300),
      softCoverage(q, chunkSet, chunkWords[i] ?? [], vocab),
      docBest.get(c.chunk.documentId) ?? 0,
      Math.min(1, (docCount.get(c.chunk.documentId) ?? 1) / 3),
    ];
    return Float32Array.from(f);
  });
}
