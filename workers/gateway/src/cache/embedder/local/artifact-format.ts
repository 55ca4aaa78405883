/**
 * Binary layout of the word-vector artifacts (GloVe: scripts/cache/build-embedder.ts; distilled
 * from a sentence encoder: scripts/cache/build-distilled-embedder.ts), imported by the Worker as
 * Data = ArrayBuffer. One flat buffer so the Worker pays no JSON
 * parse and no per-word allocation at start; little-endian throughout.
 *
 *   0  magic "SEMB"         4  version u32      8  vocab u32      12 dims u32
 *   16 hashNorm f32         20 kind u32 (0 GloVe, 1 distilled; was reserved, so older files read 0)
 *   24 reserved u32 x2
 *   32 commonComponent f32[dims]  (unit vector removed from every sentence embedding)
 *      scales f32[vocab]          (int8 -> float per word)
 *      weights f32[vocab]         (SIF weight a / (a + p(w)))
 *      vectors i8[vocab * dims]
 *      words utf-8, '\n'-joined, in vocab order (frequency rank)
 */
export const ARTIFACT_MAGIC = 0x424d4553; // "SEMB" read as little-endian u32
export const ARTIFACT_VERSION = 1;
export const HEADER_BYTES = 32;

/** Where the vectors come from: part of the embedder id, since the two score on different scales. */
export const ARTIFACT_KINDS = ["glove", "usedistil"] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

export interface WordVectorTable {
  kind: ArtifactKind;
  dims: number;
  vocab: number;
  /** Typical norm of a rare in-vocabulary word; hashed OOV vectors are scaled to it. */
  hashNorm: number;
  commonComponent: Float32Array;
  scales: Float32Array;
  weights: Float32Array;
  vectors: Int8Array;
  words: string[];
}

export function encodeArtifact(t: WordVectorTable): Uint8Array {
  const wordBytes = new TextEncoder().encode(t.words.join("\n"));
  const floats = t.dims + 2 * t.vocab;
  const size = HEADER_BYTES + floats * 4 + t.vocab * t.dims + wordBytes.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, ARTIFACT_MAGIC, true);
  view.setUint32(4, ARTIFACT_VERSION, true);
  view.setUint32(8, t.vocab, true);
  view.setUint32(12, t.dims, true);
  view.setFloat32(16, t.hashNorm, true);
  view.setUint32(20, ARTIFACT_KINDS.indexOf(t.kind), true);
  let off = HEADER_BYTES;
  for (const arr of [t.commonComponent, t.scales, t.weights]) {
    for (const x of arr) {
      view.setFloat32(off, x, true);
      off += 4;
    }
  }
  out.set(new Uint8Array(t.vectors.buffer, t.vectors.byteOffset, t.vectors.byteLength), off);
  off += t.vocab * t.dims;
  out.set(wordBytes, off);
  return out;
}

export function decodeArtifact(buf: ArrayBuffer | Uint8Array): WordVectorTable {
  const bytes = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== ARTIFACT_MAGIC) throw new Error("embedder artifact: bad magic");
  if (view.getUint32(4, true) !== ARTIFACT_VERSION) throw new Error("embedder artifact: unsupported version");
  const vocab = view.getUint32(8, true);
  const dims = view.getUint32(12, true);
  const hashNorm = view.getFloat32(16, true);
  const kind = ARTIFACT_KINDS[view.getUint32(20, true)];
  if (kind === undefined) throw new Error("embedder artifact: unknown kind");
  let off = HEADER_BYTES;
  const readFloats = (n: number): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = view.getFloat32(off + i * 4, true);
    off += n * 4;
    return a;
  };
  const commonComponent = readFloats(dims);
  const scales = readFloats(vocab);
  const weights = readFloats(vocab);
  const vectors = new Int8Array(bytes.buffer, bytes.byteOffset + off, vocab * dims);
  off += vocab * dims;
  const words = new TextDecoder().decode(bytes.subarray(off)).split("\n");
  if (words.length !== vocab) throw new Error("embedder artifact: vocabulary size mismatch");
  return { kind, dims, vocab, hashNorm, commonComponent, scales, weights, vectors, words };
}
