/**
 * Local vector index lookup latency, in process (Node, the same FlatIndex code the Durable
 * Object runs; no RPC or SQLite in the timed path). Entries are recombined real sentences
 * (see `recombined`), queries are real sentences.
 */
import type { LocalEmbedder } from "../workers/gateway/src/cache/embedder/local/local-embedder";
import { hitScore } from "../workers/gateway/src/cache/semantic-cache/hit-score";
import { FlatIndex } from "../workers/gateway/src/cache/vector-store/local/flat-index";
import { emptyCounts } from "../workers/gateway/src/cache/calibration/error-bound";
import { gateFor } from "../workers/gateway/src/cache/calibration/gate";

export interface LatencyRow {
  entries: number;
  mode: string;
  p50: number;
  p99: number;
  /** Per-query CPU time of this process: excludes time waiting for a core on a loaded machine. */
  cpuP50: number;
  cpuP99: number;
}

/**
 * Entries = first half of one real sentence + second half of another: real vocabulary and
 * topical clustering (a cache namespace holds one feature's questions), far more than random
 * vectors would have.
 */
function recombined(sentences: string[], n: number, seed: number): string[] {
  let s = seed;
  const rand = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const split = sentences.map((x) => x.split(" "));
  const pick = (): string[] => split[Math.floor(rand() * split.length)] ?? [];
  return Array.from({ length: n }, () => {
    const a = pick();
    const b = pick();
    return [...a.slice(0, Math.ceil(a.length / 2)), ...b.slice(Math.floor(b.length / 2))].join(" ");
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

export async function measureLookup(embedder: LocalEmbedder, sentences: string[], queries: string[], sizes: number[], threshold: number): Promise<LatencyRow[]> {
  const maxSize = Math.max(...sizes);
  const texts = recombined(sentences, maxSize, 7);
  const vectors = await embedder.embed(texts);
  const qv = await embedder.embed(queries);
  const rows: LatencyRow[] = [];
  for (const size of sizes) {
    const index = new FlatIndex(embedder.dimensions, size);
    for (let i = 0; i < size; i++) index.upsert(`e${i}`, vectors[i] as Float32Array, { tenantId: "t", feature: "f", fingerprint: "fp", entryKey: `k${i}` });
    for (const [mode, minScore] of [["threshold pre-scan", threshold], ["exact full scan", -1]] as const) {
      for (let w = 0; w < 30; w++) index.query(qv[w % qv.length] as Float32Array, 4, minScore);
      const times: number[] = [];
      const cpu: number[] = [];
      for (const q of qv) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        index.query(q, 4, minScore);
        times.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000);
      }
      times.sort((a, b) => a - b);
      cpu.sort((a, b) => a - b);
      rows.push({ entries: size, mode, p50: percentile(times, 0.5), p99: percentile(times, 0.99), cpuP50: percentile(cpu, 0.5), cpuP99: percentile(cpu, 0.99) });
    }
  }
  return rows;
}

export async function measureEmbedding(embedder: LocalEmbedder, texts: string[]): Promise<{ p50: number; p99: number; mean: number }> {
  for (const t of texts.slice(0, 50)) await embedder.embed([t]);
  const times: number[] = [];
  for (const t of texts) {
    const t0 = performance.now();
    await embedder.embed([t]);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), mean: times.reduce((s, x) => s + x, 0) / times.length };
}

/** Time of the hit score per candidate (both texts tokenised and weighted, as at lookup time). */
export function measureHitScore(pairs: ReadonlyArray<{ a: string; b: string }>, lexicalWeight: number): { p50: number; p99: number; mean: number } {
  for (const p of pairs.slice(0, 50)) hitScore(0.9, p.b, p.a, lexicalWeight);
  const times: number[] = [];
  for (const p of pairs) {
    const t0 = performance.now();
    hitScore(0.9, p.b, p.a, lexicalWeight);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), mean: times.reduce((s, x) => s + x, 0) / times.length };
}

/**
 * Time of one gate (exact bounds of every band) from a fresh counts snapshot, as after each
 * isolate-cache reload: counts with a few errors per band so the bisection path runs, each
 * snapshot different so no memoised bound is reused.
 */
export function measureGate(snapshots = 300): { mean: number; p99: number; cpuMean: number; cpuP99: number } {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < snapshots; i++) {
    const counts = emptyCounts().map((_, b) => ({ checks: 200 + 37 * b + i, wrong: b < 12 ? 1 + ((b + i) % 5) : 0 }));
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    gateFor({ counts, delta: 0.01, staticThreshold: 0.7, coldThreshold: 0.78 });
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  return { mean: mean(times), p99: percentile(times, 0.99), cpuMean: mean(cpu), cpuP99: percentile(cpu, 0.99) };
}
