/** What the semantic cache needs from an embedding model. Vectors are unit-length. */
export interface Embedder {
  /** Changes whenever vectors from this embedder stop being comparable with older ones. */
  id: string;
  dimensions: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}

export function normalize(v: Float32Array): Float32Array {
  let sq = 0;
  for (const x of v) sq += x * x;
  const n = Math.sqrt(sq);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) / n;
  return v;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot;
}
