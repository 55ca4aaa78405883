/**
 * 256-bit random-hyperplane signatures (Charikar 2002): the Hamming distance between two
 * signatures estimates the angle between the vectors, P[bit differs] = angle / pi. The flat
 * index scans signatures (8 x u32 per row) instead of full vectors, then scores survivors
 * exactly, which is what keeps a 100k-row namespace inside the latency budget in plain JS.
 */
export const SIGNATURE_WORDS = 8;
const BITS = SIGNATURE_WORDS * 32;
const planesByDims = new Map<number, Float32Array>();

function planes(dims: number): Float32Array {
  let p = planesByDims.get(dims);
  if (p) return p;
  p = new Float32Array(BITS * dims);
  let s = 0x9e3779b9 ^ dims;
  for (let i = 0; i < p.length; i++) {
    // Sum of uniforms ~ normal enough for direction sampling; seeded so signatures are stable.
    let acc = 0;
    for (let k = 0; k < 4; k++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      acc += (s >>> 0) / 4294967296;
    }
    p[i] = acc - 2;
  }
  planesByDims.set(dims, p);
  return p;
}

export function signature(vector: Float32Array, out: Int32Array, offset: number): void {
  const dims = vector.length;
  const p = planes(dims);
  for (let w = 0; w < SIGNATURE_WORDS; w++) {
    let word = 0;
    for (let b = 0; b < 32; b++) {
      const base = (w * 32 + b) * dims;
      let dot = 0;
      for (let i = 0; i < dims; i++) dot += (p[base + i] ?? 0) * (vector[i] ?? 0);
      if (dot >= 0) word |= 1 << b;
    }
    out[offset + w] = word;
  }
}

export function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/**
 * Largest Hamming distance still scanned for a minimum cosine: the expected distance at that
 * angle plus 3.5 standard deviations. A neighbour exactly at the threshold is dropped with
 * probability ~2e-4 (normal approximation), one 0.02 above it with < 1e-6; a drop is a cache
 * miss, never a wrong answer. Cache namespaces are topical (one feature, one system prompt), so
 * a looser bound lets most of the namespace through and the scan degenerates to brute force.
 */
export function maxHamming(minScore: number): number {
  const p = Math.acos(Math.max(-1, Math.min(1, minScore))) / Math.PI;
  return Math.ceil(BITS * p + 3.5 * Math.sqrt(BITS * p * (1 - p)));
}
