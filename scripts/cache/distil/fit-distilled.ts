/**
 * The distillation fit. Target: the teacher's sentence embeddings projected on their top
 * principal directions (uncentered: the teacher's mean direction is part of its cosine). Student:
 * the runtime's uniform average of word vectors. Each word's features are [GloVe 100-d, the
 * teacher's embedding of the word alone], each block scaled to unit mean norm, plus a bias; a
 * ridge-regularised linear map from a sentence's average features to its target is fitted once,
 * and since averaging is linear, a word's vector is the map applied to the word's features (the
 * bias carried by every word). A map, not free per-word vectors: ~12k sentences cannot pin
 * 28k x 72 free parameters.
 */
import { choleskySolve, crossProduct, gram, symmetricEigen } from "./linear-algebra";

export interface DistillationData {
  /** vocab x gloveDims, row-major. */
  glove: Float32Array;
  gloveDims: number;
  /** vocab x teacherDims: the teacher's embedding of each word on its own. */
  wordTeacher: Float32Array;
  teacherDims: number;
  /** Vocabulary indices of each sentence's in-vocabulary tokens (repeats count). */
  sentenceTokens: number[][];
  /** sentences x teacherDims. */
  sentenceTeacher: Float32Array;
}

export interface DistilledVectors {
  /** vocab x dims, row-major. */
  vectors: Float32Array;
  /** Share of the teacher sentences' energy in the kept directions. */
  energyKept: number;
  sentencesUsed: number;
}

export function fitDistilledVectors(data: DistillationData, dims: number, ridge: number): DistilledVectors {
  const features = wordFeatures(data);
  const f = data.gloveDims + data.teacherDims;
  const used = data.sentenceTokens.map((t, i) => [t, i] as const).filter(([t]) => t.length > 0);
  const d = f + 1;
  const x = new Float64Array(used.length * d);
  const y = new Float64Array(used.length * data.teacherDims);
  used.forEach(([tokens, s], r) => {
    for (const w of tokens) for (let j = 0; j < f; j++) x[r * d + j] = (x[r * d + j] ?? 0) + (features[w * f + j] ?? 0) / tokens.length;
    x[r * d + f] = 1;
    for (let j = 0; j < data.teacherDims; j++) y[r * data.teacherDims + j] = data.sentenceTeacher[s * data.teacherDims + j] ?? 0;
  });
  const { basis, energyKept } = topDirections(y, data.teacherDims, dims);
  const z = multiply(y, data.teacherDims, basis, dims);
  const c = gram(x, d);
  let trace = 0;
  for (let i = 0; i < d; i++) trace += c[i * d + i] ?? 0;
  for (let i = 0; i < d; i++) c[i * d + i] = (c[i * d + i] ?? 0) + (ridge * trace) / d;
  const map = choleskySolve(c, d, crossProduct(x, d, z, dims), dims);
  const vocab = features.length / f;
  const vectors = new Float32Array(vocab * dims);
  for (let w = 0; w < vocab; w++) {
    for (let k = 0; k < dims; k++) {
      let v = map[f * dims + k] ?? 0;
      for (let j = 0; j < f; j++) v += (features[w * f + j] ?? 0) * (map[j * dims + k] ?? 0);
      vectors[w * dims + k] = v;
    }
  }
  return { vectors, energyKept, sentencesUsed: used.length };
}

function wordFeatures(data: DistillationData): Float64Array {
  const vocab = data.glove.length / data.gloveDims;
  const f = data.gloveDims + data.teacherDims;
  const out = new Float64Array(vocab * f);
  const gScale = 1 / meanRowNorm(data.glove, data.gloveDims);
  const tScale = 1 / meanRowNorm(data.wordTeacher, data.teacherDims);
  for (let w = 0; w < vocab; w++) {
    for (let j = 0; j < data.gloveDims; j++) out[w * f + j] = (data.glove[w * data.gloveDims + j] ?? 0) * gScale;
    for (let j = 0; j < data.teacherDims; j++) out[w * f + data.gloveDims + j] = (data.wordTeacher[w * data.teacherDims + j] ?? 0) * tScale;
  }
  return out;
}

function meanRowNorm(m: Float32Array, dims: number): number {
  const rows = m.length / dims;
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    let sq = 0;
    for (let j = 0; j < dims; j++) sq += (m[r * dims + j] ?? 0) ** 2;
    sum += Math.sqrt(sq);
  }
  return sum / rows;
}

/** Top-k eigenvectors of Yᵀ Y (teacherDims x k, row-major) and the energy they keep. */
function topDirections(y: Float64Array, dims: number, k: number): { basis: Float64Array; energyKept: number } {
  const { values, vectors } = symmetricEigen(gram(y, dims), dims);
  const basis = new Float64Array(dims * k);
  for (let r = 0; r < dims; r++) for (let c = 0; c < k; c++) basis[r * k + c] = vectors[r * dims + c] ?? 0;
  let kept = 0;
  let total = 0;
  values.forEach((v, i) => {
    total += v;
    if (i < k) kept += v;
  });
  return { basis, energyKept: kept / total };
}

function multiply(a: Float64Array, inner: number, b: Float64Array, cols: number): Float64Array {
  const rows = a.length / inner;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < inner; i++) {
      const ai = a[r * inner + i] ?? 0;
      for (let c = 0; c < cols; c++) out[r * cols + c] = (out[r * cols + c] ?? 0) + ai * (b[i * cols + c] ?? 0);
    }
  }
  return out;
}
