/**
 * GET /v1/usage/latency: latency and time-to-first-token percentiles of the caller's client
 * requests over a whole range, estimated from the evaluator's hourly histograms
 * (shared/latency-histogram.ts: within one 1.25x bucket of the true value, interpolated), and
 * the mean judge score of the requests judged in it (exact: an average over the evaluations).
 * Hours are whole: a range starting mid-hour counts that hour from its start, as GET /v1/usage.
 */
import { z } from "zod";
import { HISTOGRAM_METRICS, percentiles, type HistogramMetric, type LatencySummary } from "../../../../shared/latency-histogram";
import { DAY_MS, InstantSchema, withTimeRange } from "../http/time-range";
import { featureFilter, type FeatureScope } from "./feature-scope";

const HOUR_MS = 3_600_000;

export const LatencyQuerySchema = withTimeRange(
  z
    .object({
      from: InstantSchema.optional(),
      to: InstantSchema.optional(),
      /** One feature; absent = every feature the key may read. */
      feature: z.string().min(1).max(128).optional(),
    }),
  7 * DAY_MS,
  400 * DAY_MS,
);
export type LatencyQuery = z.output<typeof LatencyQuerySchema>;

const BucketRowSchema = z.object({ metric: z.enum(HISTOGRAM_METRICS), bucket: z.number().int(), n: z.number() });
const JudgeRowSchema = z.object({ judged: z.number().nullable(), mean_score: z.number().nullable() });

/** The caller's allow-list narrowed to the one feature asked for (a feature outside it reads nothing). */
function scopeFor(features: FeatureScope, feature: string | undefined): FeatureScope {
  if (feature === undefined) return features;
  return features === null || features.includes(feature) ? [feature] : [];
}

export async function latencySummary(db: D1Database, tenantId: string, q: LatencyQuery, features: FeatureScope): Promise<LatencySummary> {
  const scope = scopeFor(features, q.feature);
  const fromHour = Math.floor(q.from / HOUR_MS) * HOUR_MS;
  const hist = featureFilter(scope, 4);
  const buckets = await db
    .prepare(`SELECT metric, bucket, SUM(count) AS n FROM latency_histograms_hourly WHERE tenant_id = ?1 AND hour >= ?2 AND hour < ?3${hist.sql} GROUP BY metric, bucket`)
    .bind(tenantId, fromHour, q.to, ...hist.binds)
    .all();
  const counts: Record<HistogramMetric, Map<number, number>> = { latency: new Map(), ttft: new Map() };
  for (const r of z.array(BucketRowSchema).parse(buckets.results)) counts[r.metric].set(r.bucket, r.n);
  const judged = featureFilter(scope, 4);
  const judge = JudgeRowSchema.parse(
    await db
      .prepare(`SELECT COUNT(score_mean) AS judged, AVG(score_mean) AS mean_score FROM evaluations WHERE tenant_id = ?1 AND completed_at >= ?2 AND completed_at < ?3${judged.sql}`)
      .bind(tenantId, q.from, q.to, ...judged.binds)
      .first(),
  );
  return {
    tenantId,
    from: new Date(q.from).toISOString(),
    to: new Date(q.to).toISOString(),
    feature: q.feature ?? null,
    latencyMs: percentiles(counts.latency),
    ttftMs: percentiles(counts.ttft),
    judge: { judged: judge.judged ?? 0, meanScore: judge.mean_score === null ? null : Math.round(judge.mean_score * 10_000) / 10_000 },
    method: "histogram",
  };
}
