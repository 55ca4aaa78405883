/**
 * The hourly latency and time-to-first-token histograms (table latency_histograms_hourly): the
 * evaluator counts each client request into one bucket as it writes the ledger row, and
 * GET /v1/usage/latency estimates percentiles over any range from the summed buckets, so the
 * console's p50/p95/p99 cover the whole range without reading one ledger row.
 *
 * Bounds grow by 1.25x from 1 ms (60 bounds, the last ~521 s). Bucket i holds values in
 * (bound[i-1], bound[i]]; bucket 0 holds [0, 1 ms]; bucket 60 everything above the last bound.
 * Fixed ratios, not /metrics' vLLM-style bounds (0.3 s, 0.5 s, 0.8 s, ... 2 s, 2.5 s, 5 s), so
 * the error of an estimate is the same share of the value at every scale: an estimate lies in
 * the bucket of the true (nearest-rank) percentile, i.e. within 25% of it, and linear
 * interpolation inside the bucket usually lands much closer.
 */
export const LATENCY_BUCKET_RATIO = 1.25;
export const LATENCY_BUCKETS_MS: readonly number[] = Array.from({ length: 60 }, (_, i) => Math.round(LATENCY_BUCKET_RATIO ** i * 1000) / 1000);
/** The bucket index of values above the last bound. */
export const OVERFLOW_BUCKET = LATENCY_BUCKETS_MS.length;

export const HISTOGRAM_METRICS = ["latency", "ttft"] as const;
export type HistogramMetric = (typeof HISTOGRAM_METRICS)[number];

/** GET /v1/usage/latency's answer (the gateway builds it, the console reads it). */
export interface LatencySummary {
  tenantId: string;
  from: string;
  to: string;
  feature: string | null;
  /** Milliseconds, every client request (cache hits and errors included). */
  latencyMs: PercentileEstimate;
  /** Milliseconds, streamed requests only. */
  ttftMs: PercentileEstimate;
  /** Exact: the average of the range's evaluations. */
  judge: { judged: number; meanScore: number | null };
  method: "histogram";
}

/** The bucket of one value, as the SQL below computes it (tests hold the two together). */
export function bucketOf(ms: number): number {
  const i = LATENCY_BUCKETS_MS.findIndex((b) => ms <= b);
  return i === -1 ? OVERFLOW_BUCKET : i;
}

/** SQL expression giving the bucket of `column` (a CASE over the bounds: no math functions needed in D1). */
export function bucketSql(column: string): string {
  return `CASE ${LATENCY_BUCKETS_MS.map((b, i) => `WHEN ${column} <= ${b} THEN ${i}`).join(" ")} ELSE ${OVERFLOW_BUCKET} END`;
}

export interface PercentileEstimate {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** True when a percentile fell in the overflow bucket: it is then the last bound, a lower bound. */
  overflow: boolean;
}

/**
 * The q-quantile from bucket counts, as Prometheus' histogram_quantile: find the bucket holding
 * rank q * count and interpolate linearly between its bounds. Null without observations.
 */
export function quantile(counts: ReadonlyMap<number, number>, q: number): { value: number; overflow: boolean } | null {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total <= 0) return null;
  const rank = q * total;
  let below = 0;
  for (let b = 0; b <= OVERFLOW_BUCKET; b++) {
    const n = counts.get(b) ?? 0;
    if (n <= 0) continue;
    if (below + n >= rank) {
      if (b === OVERFLOW_BUCKET) return { value: LATENCY_BUCKETS_MS[OVERFLOW_BUCKET - 1] as number, overflow: true };
      const lower = b === 0 ? 0 : (LATENCY_BUCKETS_MS[b - 1] as number);
      const upper = LATENCY_BUCKETS_MS[b] as number;
      return { value: lower + (upper - lower) * Math.max(0, Math.min(1, (rank - below) / n)), overflow: false };
    }
    below += n;
  }
  return null;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

export function percentiles(counts: ReadonlyMap<number, number>): PercentileEstimate {
  let count = 0;
  for (const n of counts.values()) count += n;
  const [p50, p95, p99] = [0.5, 0.95, 0.99].map((q) => quantile(counts, q));
  return {
    count,
    p50: p50 ? round1(p50.value) : null,
    p95: p95 ? round1(p95.value) : null,
    p99: p99 ? round1(p99.value) : null,
    overflow: [p50, p95, p99].some((p) => p?.overflow === true),
  };
}
