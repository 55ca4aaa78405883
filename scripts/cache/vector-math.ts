/** Small dense linear algebra for the artifact build (100-d, so plain loops are fine). */
// Seeded PRNG: the artifact is reproducible byte for byte.
import { mulberry32 } from "../../shared/random";

/** SIF weight a/(a+p(w)) with p from Zipf's law over the full source vocabulary. */
export function sifWeights(ranks: number[], sourceVocab: number, a: number): Float32Array {
  const harmonic = Math.log(sourceVocab) + 0.5772;
  return Float32Array.from(ranks, (r) => a / (a + 1 / (r * harmonic)));
}

/** Top principal directions of the rows (after centering), by power iteration with deflation. */
export function principalComponents(m: Float32Array, dims: number, k: number, rowWeights?: Float32Array): Float32Array[] {
  const rows = m.length / dims;
  const cov = new Float64Array(dims * dims);
  for (let r = 0; r < rows; r++) {
    const w = rowWeights ? (rowWeights[r] ?? 1) : 1;
    for (let i = 0; i < dims; i++) {
      const xi = (m[r * dims + i] ?? 0) * w;
      for (let j = i; j < dims; j++) cov[i * dims + j] = (cov[i * dims + j] ?? 0) + xi * (m[r * dims + j] ?? 0);
    }
  }
  for (let i = 0; i < dims; i++) for (let j = 0; j < i; j++) cov[i * dims + j] = cov[j * dims + i] ?? 0;
  const comps: Float32Array[] = [];
  const rand = mulberry32(7);
  for (let c = 0; c < k; c++) {
    let v = Float64Array.from({ length: dims }, () => rand() - 0.5);
    for (let it = 0; it < 200; it++) {
      const next = new Float64Array(dims);
      for (let i = 0; i < dims; i++) {
        let s = 0;
        for (let j = 0; j < dims; j++) s += (cov[i * dims + j] ?? 0) * (v[j] ?? 0);
        next[i] = s;
      }
      for (const prev of comps) orthogonalize(next, prev);
      const n = Math.hypot(...next) || 1;
      v = next.map((x) => x / n);
    }
    comps.push(Float32Array.from(v));
  }
  return comps;
}

function orthogonalize(v: Float64Array | Float32Array, u: Float32Array): void {
  let dot = 0;
  for (let i = 0; i < u.length; i++) dot += (v[i] ?? 0) * (u[i] ?? 0);
  for (let i = 0; i < u.length; i++) v[i] = (v[i] ?? 0) - dot * (u[i] ?? 0);
}

/** All-but-the-top: subtract the mean row and project out the top-d directions, in place. */
export function removeTopComponents(m: Float32Array, dims: number, d: number): void {
  if (d <= 0) return;
  const rows = m.length / dims;
  const mean = new Float64Array(dims);
  for (let r = 0; r < rows; r++) for (let i = 0; i < dims; i++) mean[i] = (mean[i] ?? 0) + (m[r * dims + i] ?? 0) / rows;
  for (let r = 0; r < rows; r++) for (let i = 0; i < dims; i++) m[r * dims + i] = (m[r * dims + i] ?? 0) - (mean[i] ?? 0);
  const comps = principalComponents(m, dims, d);
  for (let r = 0; r < rows; r++) for (const u of comps) orthogonalize(m.subarray(r * dims, (r + 1) * dims), u);
}

/**
 * The SIF "common component": first principal direction of sentence embeddings. Estimated on
 * pseudo-sentences whose words are drawn by Zipf frequency, so it reflects the vocabulary's
 * frequency structure without touching any evaluation text.
 */
export function commonComponent(m: Float32Array, dims: number, weights: Float32Array, samples: number, len: number): Float32Array {
  const rows = m.length / dims;
  const rand = mulberry32(42);
  const harmonic = Math.log(rows) + 0.5772;
  const sentences = new Float32Array(samples * dims);
  for (let s = 0; s < samples; s++) {
    for (let t = 0; t < len; t++) {
      // Inverse-CDF sampling of Zipf(1): rank ~ exp(u * H).
      const r = Math.min(rows - 1, Math.floor(Math.exp(rand() * harmonic)) - 1);
      const w = weights[r] ?? 1;
      for (let i = 0; i < dims; i++) sentences[s * dims + i] = (sentences[s * dims + i] ?? 0) + (w * (m[r * dims + i] ?? 0)) / len;
    }
  }
  // Uncentered, as in the SIF reference implementation (TruncatedSVD on the embeddings).
  const [first] = principalComponentsUncentered(sentences, dims);
  return first ?? new Float32Array(dims);
}

function principalComponentsUncentered(m: Float32Array, dims: number): Float32Array[] {
  return principalComponents(m, dims, 1);
}

/** int8 per-vector symmetric quantization; also the median norm of the rarer half for OOV hashing. */
export function quantize(m: Float32Array, dims: number): { vectors: Int8Array; scales: Float32Array; hashNorm: number } {
  const rows = m.length / dims;
  const vectors = new Int8Array(m.length);
  const scales = new Float32Array(rows);
  const norms: number[] = [];
  for (let r = 0; r < rows; r++) {
    let max = 0;
    let sq = 0;
    for (let i = 0; i < dims; i++) {
      const x = m[r * dims + i] ?? 0;
      max = Math.max(max, Math.abs(x));
      sq += x * x;
    }
    const scale = max / 127 || 1;
    scales[r] = scale;
    for (let i = 0; i < dims; i++) vectors[r * dims + i] = Math.round((m[r * dims + i] ?? 0) / scale);
    if (r >= rows / 2) norms.push(Math.sqrt(sq));
  }
  norms.sort((x, y) => x - y);
  return { vectors, scales, hashNorm: norms[Math.floor(norms.length / 2)] ?? 1 };
}

/** Rows expressed in the given orthonormal basis (PCA projection). */
export function project(m: Float32Array, dims: number, basis: Float32Array[]): Float32Array {
  const rows = m.length / dims;
  const out = new Float32Array(rows * basis.length);
  for (let r = 0; r < rows; r++) {
    basis.forEach((u, k) => {
      let dot = 0;
      for (let i = 0; i < dims; i++) dot += (m[r * dims + i] ?? 0) * (u[i] ?? 0);
      out[r * basis.length + k] = dot;
    });
  }
  return out;
}
