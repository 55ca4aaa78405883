/**
 * One namespace's vectors in contiguous typed arrays (no per-row objects on the hot path):
 * Float32 rows for exact scoring, 128-bit signatures for the Hamming pre-scan. Rows are
 * removed by swapping the last row in, so storage stays dense.
 */
import { maxHamming, popcount, signature, SIGNATURE_WORDS } from "./lsh-signature";
import type { Match, VectorMetadata } from "../vector-store";

/** Below this many rows the exact scan is already fast; skip the approximate pre-scan. */
const PRESCAN_MIN_ROWS = 4_096;

export class FlatIndex {
  private vectors: Float32Array;
  private signatures: Int32Array;
  private ids: string[] = [];
  private meta: VectorMetadata[] = [];
  private rowOf = new Map<string, number>();

  constructor(readonly dims: number, capacity = 64) {
    this.vectors = new Float32Array(capacity * dims);
    this.signatures = new Int32Array(capacity * SIGNATURE_WORDS);
  }

  get size(): number {
    return this.ids.length;
  }

  upsert(id: string, vector: Float32Array, metadata: VectorMetadata): void {
    if (vector.length !== this.dims) throw new Error(`vector has ${vector.length} dims, index ${this.dims}`);
    let row = this.rowOf.get(id);
    if (row === undefined) {
      row = this.ids.length;
      this.ensureCapacity(row + 1);
      this.ids.push(id);
      this.meta.push(metadata);
      this.rowOf.set(id, row);
    } else {
      this.meta[row] = metadata;
    }
    this.vectors.set(vector, row * this.dims);
    signature(vector, this.signatures, row * SIGNATURE_WORDS);
  }

  delete(id: string): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) return false;
    const last = this.ids.length - 1;
    if (row !== last) {
      const lastId = this.ids[last] ?? "";
      this.vectors.copyWithin(row * this.dims, last * this.dims, (last + 1) * this.dims);
      this.signatures.copyWithin(row * SIGNATURE_WORDS, last * SIGNATURE_WORDS, (last + 1) * SIGNATURE_WORDS);
      this.ids[row] = lastId;
      this.meta[row] = this.meta[last] as VectorMetadata;
      this.rowOf.set(lastId, row);
    }
    this.ids.pop();
    this.meta.pop();
    this.rowOf.delete(id);
    return true;
  }

  query(q: Float32Array, topK: number, minScore = -1): Match[] {
    const rows = minScore > 0 && this.size >= PRESCAN_MIN_ROWS ? this.prescan(q, minScore) : null;
    const best: Match[] = [];
    const consider = (row: number): void => {
      const score = this.dot(q, row);
      if (score < minScore || (best.length === topK && score <= (best[best.length - 1]?.score ?? -2))) return;
      best.push({ id: this.ids[row] ?? "", score, metadata: this.meta[row] as VectorMetadata });
      best.sort((a, b) => b.score - a.score);
      if (best.length > topK) best.pop();
    };
    if (rows) for (const row of rows) consider(row);
    else for (let row = 0; row < this.size; row++) consider(row);
    return best;
  }

  private prescan(q: Float32Array, minScore: number): number[] {
    const sig = new Int32Array(SIGNATURE_WORDS);
    signature(q, sig, 0);
    const [q0 = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0, q5 = 0, q6 = 0, q7 = 0] = sig;
    const limit = maxHamming(minScore);
    const s = this.signatures;
    const out: number[] = [];
    // Unrolled for SIGNATURE_WORDS = 8 (indices are in range by construction, hence the `!`);
    // half the bits first: most rows are already over the limit there.
    for (let row = 0, o = 0; row < this.size; row++, o += 8) {
      let h = popcount(s[o]! ^ q0) + popcount(s[o + 1]! ^ q1) + popcount(s[o + 2]! ^ q2) + popcount(s[o + 3]! ^ q3);
      if (h > limit) continue;
      h += popcount(s[o + 4]! ^ q4) + popcount(s[o + 5]! ^ q5) + popcount(s[o + 6]! ^ q6) + popcount(s[o + 7]! ^ q7);
      if (h <= limit) out.push(row);
    }
    return out;
  }

  private dot(q: Float32Array, row: number): number {
    const v = this.vectors;
    const d = this.dims;
    const base = row * d;
    let s0 = 0;
    let s1 = 0;
    let i = 0;
    for (; i + 1 < d; i += 2) {
      s0 += v[base + i]! * q[i]!;
      s1 += v[base + i + 1]! * q[i + 1]!;
    }
    if (i < d) s0 += v[base + i]! * q[i]!;
    return s0 + s1;
  }

  private ensureCapacity(rows: number): void {
    if (rows * this.dims <= this.vectors.length) return;
    const cap = Math.max(rows, (this.vectors.length / this.dims) * 2);
    const vectors = new Float32Array(cap * this.dims);
    vectors.set(this.vectors);
    this.vectors = vectors;
    const signatures = new Int32Array(cap * SIGNATURE_WORDS);
    signatures.set(this.signatures);
    this.signatures = signatures;
  }
}
