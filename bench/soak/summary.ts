/**
 * bench:soak's verdicts, pure so they are tested: errors, the memory trend of the Workers'
 * runtime over the run, the evaluator's lag behind the gateway, and requests against ledger rows.
 */
import { percentile } from "../lib/machine";
import { fitSlope } from "../lib/slope";
import type { JsHeaps } from "./heap";
import type { MemoryRegions } from "./memory-regions";
import type { Kind } from "./mix";

export interface Outcome {
  kind: Kind;
  status: number;
  /** Why it failed (error code, "fetch: ...", "stream_ended_without_done"); null when it did not. */
  failure: string | null;
  latencyMs: number;
  requestId: string | null;
  /** ms since the run started when the response was complete. */
  doneAtMs: number;
}

export interface Sample {
  /** Seconds since the run started. */
  t: number;
  /** Resident memory of the workerd process(es) running the gateway and the evaluator (MB). */
  rssMb: number;
  /** Billed requests answered so far minus ledger rows booked so far. */
  backlog: number;
  /** With --heap: every isolate's JS heap as it stands (not collected), MB. */
  js?: JsHeaps;
  /** With --heap: where the resident memory sits (see memory-regions.ts). */
  regions?: MemoryRegions;
}

export interface MemoryTrend {
  /** Least-squares slope over the samples after warm-up, MB per minute. */
  slopeMbPerMin: number;
  /** Its 95% interval, widened for autocorrelated samples (bench/lib/slope.ts); NaN when too few. */
  slopeLow: number;
  slopeHigh: number;
  /** Fitted growth over that window as a share of its mean resident memory. */
  growthShare: number;
  meanMb: number;
  peakMb: number;
  /** No upward trend: the fitted growth over the window stays under `GROWTH_TOLERANCE` of the mean. */
  flat: boolean;
}

/** The first share of the run is warm-up (isolates, caches, JIT); the trend is judged after it. */
export const WARMUP_SHARE = 0.2;
/**
 * A leak shows as steady growth; an allocator that settles shows as noise around a level. 5% of
 * the mean over the window separates the two on runs of minutes (a 10 MB/min leak over 8 minutes
 * of a ~400 MB process is 20%).
 */
export const GROWTH_TOLERANCE = 0.05;

export function memoryTrend(samples: readonly Sample[]): MemoryTrend {
  const end = samples.at(-1)?.t ?? 0;
  const window = samples.filter((s) => s.t >= end * WARMUP_SHARE);
  const n = window.length;
  const meanMb = window.reduce((a, s) => a + s.rssMb, 0) / (n || 1);
  const fit = fitSlope(
    window.map((s) => s.t / 60),
    window.map((s) => s.rssMb),
  );
  const spanMin = n > 1 ? ((window.at(-1) as Sample).t - (window[0] as Sample).t) / 60 : 0;
  const growthShare = meanMb > 0 ? (fit.slope * spanMin) / meanMb : 0;
  return {
    slopeMbPerMin: fit.slope,
    slopeLow: fit.low,
    slopeHigh: fit.high,
    growthShare,
    meanMb,
    peakMb: samples.reduce((a, s) => Math.max(a, s.rssMb), 0),
    flat: n >= 3 && growthShare < GROWTH_TOLERANCE,
  };
}

export interface KindStats {
  kind: Kind;
  sent: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
}

export function byKind(outcomes: readonly Outcome[]): KindStats[] {
  const groups = new Map<Kind, Outcome[]>();
  for (const o of outcomes) groups.set(o.kind, [...(groups.get(o.kind) ?? []), o]);
  return [...groups.entries()].map(([kind, os]) => {
    const lat = os.map((o) => o.latencyMs).sort((a, b) => a - b);
    return { kind, sent: os.length, failed: os.filter((o) => o.failure !== null).length, p50Ms: percentile(lat, 50), p99Ms: percentile(lat, 99) };
  });
}

/** Failures by reason, e.g. { "http_503": 2, "stream_ended_without_done": 1 }. */
export function failureCounts(outcomes: readonly Outcome[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of outcomes) if (o.failure !== null) out[o.failure] = (out[o.failure] ?? 0) + 1;
  return out;
}

export interface LagStats {
  /** Ledger rows' ingested_at − completed_at (how long a request waited to be booked), ms. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Largest backlog seen while the run was sending. */
  maxBacklog: number;
}

export function lagStats(delaysMs: readonly number[], samples: readonly Sample[]): LagStats {
  const sorted = [...delaysMs].sort((a, b) => a - b);
  return {
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    maxBacklog: samples.reduce((a, s) => Math.max(a, s.backlog), 0),
  };
}
