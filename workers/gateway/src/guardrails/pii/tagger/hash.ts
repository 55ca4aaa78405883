/** 32-bit hashes for feature ids: FNV-1a over (part of) a string, and a murmur3-style finaliser to combine ids. */
export function hashRange(s: string, from: number, to: number, seed: number): number {
  let h = (0x811c9dc5 ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export const hashString = (s: string, seed: number): number => hashRange(s, 0, s.length, seed);

export function mix(a: number, b: number): number {
  let h = (a ^ Math.imul(b + 0x632be5ab, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
