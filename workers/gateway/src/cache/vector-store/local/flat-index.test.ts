import { describe, expect, it } from "vitest";
import { normalize } from "../../embedder/embedder";
import { FlatIndex } from "./flat-index";
import { maxHamming, popcount } from "./lsh-signature";

const meta = (id: string) => ({ tenantId: "t", feature: "f", fingerprint: "fp", entryKey: id });

function randomUnit(dims: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const v = new Float32Array(dims);
  for (let i = 0; i < dims; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    v[i] = (s >>> 0) / 4294967296 - 0.5;
  }
  return normalize(v);
}

/** A unit vector at cosine `c` from `base`. */
function near(base: Float32Array, c: number, seed: number): Float32Array {
  const r = randomUnit(base.length, seed);
  let dot = 0;
  for (let i = 0; i < r.length; i++) dot += (r[i] ?? 0) * (base[i] ?? 0);
  const orth = normalize(r.map((x, i) => x - dot * (base[i] ?? 0)));
  return normalize(base.map((x, i) => c * x + Math.sqrt(1 - c * c) * (orth[i] ?? 0)));
}

describe("FlatIndex", () => {
  it("returns the exact top-k by cosine on a small index", () => {
    const index = new FlatIndex(16);
    const rows = Array.from({ length: 50 }, (_, i) => randomUnit(16, i + 1));
    rows.forEach((v, i) => index.upsert(`id${i}`, v, meta(`id${i}`)));
    const q = rows[7] as Float32Array;
    const got = index.query(q, 3);
    expect(got[0]).toMatchObject({ id: "id7" });
    expect(got[0]?.score).toBeCloseTo(1, 5);
    expect(got.map((m) => m.score)).toEqual([...got.map((m) => m.score)].sort((a, b) => b - a));
  });

  it("deletes by swapping rows without losing the others", () => {
    const index = new FlatIndex(8);
    for (let i = 0; i < 5; i++) index.upsert(`id${i}`, randomUnit(8, i + 10), meta(`id${i}`));
    expect(index.delete("id1")).toBe(true);
    expect(index.size).toBe(4);
    const q = randomUnit(8, 14);
    expect(index.query(q, 1)[0]?.id).toBe("id4");
    expect(index.query(randomUnit(8, 11), 5).some((m) => m.id === "id1")).toBe(false);
  });

  it("keeps neighbours above minScore when the Hamming pre-scan is active", () => {
    const dims = 100;
    const index = new FlatIndex(dims);
    for (let i = 0; i < 6000; i++) index.upsert(`r${i}`, randomUnit(dims, i + 100), meta(`r${i}`));
    const q = randomUnit(dims, 999_999);
    for (let k = 0; k < 20; k++) index.upsert(`n${k}`, near(q, 0.9 + k * 0.004, 5000 + k), meta(`n${k}`));
    const got = index.query(q, 25, 0.9);
    expect(got.map((m) => m.id).sort()).toEqual(Array.from({ length: 20 }, (_, k) => `n${k}`).sort());
  });

  it("computes popcount and a Hamming bound that shrinks with similarity", () => {
    expect(popcount(0)).toBe(0);
    expect(popcount(-1)).toBe(32);
    expect(popcount(0b1011)).toBe(3);
    expect(maxHamming(0.99)).toBeLessThan(maxHamming(0.9));
    expect(maxHamming(0.9)).toBeLessThan(128);
  });
});
