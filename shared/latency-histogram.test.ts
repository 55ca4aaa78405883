/**
 * Percentile estimates from the latency histogram's buckets: always inside the bucket of the
 * true (nearest-rank) percentile, so within 25% of it; and the migration's backfill buckets
 * with the same SQL the evaluator runs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketOf, bucketSql, LATENCY_BUCKET_RATIO, LATENCY_BUCKETS_MS, OVERFLOW_BUCKET, percentiles, quantile } from "./latency-histogram";

const countsOf = (values: readonly number[]): Map<number, number> => {
  const m = new Map<number, number>();
  for (const v of values) m.set(bucketOf(v), (m.get(bucketOf(v)) ?? 0) + 1);
  return m;
};

/** Nearest rank, the definition the bucket search follows. */
const nearestRank = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
};

describe("latency histogram", () => {
  it("has increasing bounds 1.25x apart from 1 ms", () => {
    expect(LATENCY_BUCKETS_MS[0]).toBe(1);
    for (let i = 1; i < LATENCY_BUCKETS_MS.length; i++) expect((LATENCY_BUCKETS_MS[i] as number) / (LATENCY_BUCKETS_MS[i - 1] as number)).toBeCloseTo(LATENCY_BUCKET_RATIO, 2);
    expect([bucketOf(0), bucketOf(1), bucketOf(1.0001), bucketOf(1e12)]).toEqual([0, 0, 1, OVERFLOW_BUCKET]);
  });

  it("estimates every percentile inside the bucket of the true one (so within 25% above 1 ms)", () => {
    const value = fc.oneof(fc.double({ min: 0, max: 2, noNaN: true }), fc.double({ min: 1, max: 400_000, noNaN: true }));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), fc.constantFrom(0.5, 0.9, 0.95, 0.99), (values, q) => {
        const truth = nearestRank(values, q);
        const est = quantile(countsOf(values), q);
        const b = bucketOf(truth);
        const lower = b === 0 ? 0 : (LATENCY_BUCKETS_MS[b - 1] as number);
        expect(est?.value).toBeGreaterThanOrEqual(lower - 1e-9);
        expect(est?.value).toBeLessThanOrEqual((LATENCY_BUCKETS_MS[b] as number) + 1e-9);
        if (truth > 1) expect(Math.abs((est?.value ?? 0) - truth) / truth).toBeLessThanOrEqual(LATENCY_BUCKET_RATIO - 1 + 1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it("reports nothing without observations, and a lower bound (flagged) past the last bucket", () => {
    expect(percentiles(new Map())).toEqual({ count: 0, p50: null, p95: null, p99: null, overflow: false });
    const p = percentiles(countsOf([100, 200, 1e9]));
    expect(p.count).toBe(3);
    expect(p.overflow).toBe(true);
    expect(p.p99).toBe(Math.round((LATENCY_BUCKETS_MS.at(-1) as number) * 10) / 10);
  });

  it("is backfilled by the migration with the evaluator's bucketing", () => {
    const sql = readFileSync(join(import.meta.dirname, "../migrations/0063_create_latency_histograms_hourly.sql"), "utf8");
    expect(sql).toContain(bucketSql("latency_ms"));
    expect(sql).toContain(bucketSql("ttft_ms"));
  });
});
