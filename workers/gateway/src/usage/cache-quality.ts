/**
 * GET /v1/cache/quality: semantic-cache hit precision for the caller's tenant (audited hits the
 * evaluator's judge panel found correct / audited hits, from cache_audits) overall and per
 * feature, with a threshold suggestion each (threshold-suggestion.ts). Similarities are
 * bucketed to 0.001 in SQL, so the read is bounded (<= 1,000 rows per feature) whatever the
 * volume; a suggested threshold is a bucket's lower edge, exact for "similarity >= t".
 */
import { z } from "zod";
import { featureFilter, type FeatureScope } from "./feature-scope";
import { DEFAULT_MIN_SAMPLES, DEFAULT_TARGET_PRECISION, precision, suggestThreshold, type AuditBucket, type ThresholdSuggestion } from "./threshold-suggestion";

const DAY_MS = 86_400_000;
const MAX_ROWS = 50_000;

const instant = z.union([z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)), z.coerce.number().int().nonnegative()]);

/** Query-string shape: ?feature=support&since=ISO&targetPrecision=0.97&minSamples=30 */
export const CacheQualityQuerySchema = z.object({
  feature: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/).optional(),
  /** Hits served since (ISO or ms); default the last 30 days. */
  since: instant.optional(),
  targetPrecision: z.coerce.number().min(0.5).max(1).default(DEFAULT_TARGET_PRECISION),
  minSamples: z.coerce.number().int().min(1).max(100_000).default(DEFAULT_MIN_SAMPLES),
});
export type CacheQualityQuery = z.output<typeof CacheQualityQuerySchema>;

export interface CacheQualityGroup {
  audited: number;
  correct: number;
  /** Audits with no verdict (judges unreachable); not in precision. */
  errors: number;
  precision: number | null;
  suggestedThreshold: number | null;
  suggestion: ThresholdSuggestion;
  /** The threshold in force (tenant settings over defaults), when the caller can resolve it. */
  currentThreshold?: number;
}

export interface CacheQualityReport extends CacheQualityGroup {
  tenantId: string;
  feature: string | null;
  since: string;
  targetPrecision: number;
  byFeature: (CacheQualityGroup & { feature: string | null })[];
}

export interface CacheQualityOptions {
  /** The caller's feature allow-list: audits of other features are left out (null = every feature). */
  features: FeatureScope;
  now?: number;
  /** Resolves the serving threshold for a feature (null = tenant-wide); undefined = unknown. */
  currentThreshold?: (feature: string | null) => number | undefined | Promise<number | undefined>;
}

const RowSchema = z.object({
  feature: z.string(),
  bucket: z.number().int(),
  audited: z.number().nullable(),
  correct: z.number().nullable(),
  errors: z.number().nullable(),
});

// CAST truncates: +1e-9 keeps 0.865 (stored as 0.86499999...) in bucket 865.
const SELECT_BUCKETS = `SELECT feature, CAST(similarity * 1000 + 1e-9 AS INTEGER) AS bucket,
  SUM(CASE WHEN status = 'ok' THEN 1 ELSE 0 END) AS audited,
  SUM(CASE WHEN status = 'ok' AND correct = 1 THEN 1 ELSE 0 END) AS correct,
  SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END) AS errors
FROM cache_audits WHERE tenant_id = ?1 AND created_at >= ?2 AND (?3 IS NULL OR feature = ?3)`;
const GROUP_BUCKETS = ` GROUP BY feature, bucket LIMIT ${MAX_ROWS}`;

interface Counted {
  buckets: AuditBucket[];
  errors: number;
}

async function group(counted: Counted, feature: string | null, query: CacheQualityQuery, options: CacheQualityOptions): Promise<CacheQualityGroup> {
  const audited = counted.buckets.reduce((s, b) => s + b.audited, 0);
  const correct = counted.buckets.reduce((s, b) => s + b.correct, 0);
  const currentThreshold = options.currentThreshold ? await options.currentThreshold(feature) : undefined;
  const suggestion = suggestThreshold(counted.buckets, {
    targetPrecision: query.targetPrecision,
    minSamples: query.minSamples,
    ...(currentThreshold === undefined ? {} : { currentThreshold }),
  });
  return {
    audited,
    correct,
    errors: counted.errors,
    precision: precision(audited, correct),
    suggestedThreshold: suggestion.suggestedThreshold,
    suggestion,
    ...(currentThreshold === undefined ? {} : { currentThreshold }),
  };
}

export async function cacheQuality(db: D1Database, tenantId: string, query: CacheQualityQuery, options: CacheQualityOptions): Promise<CacheQualityReport> {
  const since = query.since ?? (options.now ?? Date.now()) - 30 * DAY_MS;
  const scope = featureFilter(options.features, 4);
  const result = await db.prepare(SELECT_BUCKETS + scope.sql + GROUP_BUCKETS).bind(tenantId, since, query.feature ?? null, ...scope.binds).all();
  const all: Counted = { buckets: [], errors: 0 };
  const byFeature = new Map<string, Counted>();
  for (const raw of result.results) {
    const row = RowSchema.parse(raw);
    const bucket = { similarity: row.bucket / 1000, audited: row.audited ?? 0, correct: row.correct ?? 0 };
    const f = byFeature.get(row.feature) ?? { buckets: [], errors: 0 };
    f.buckets.push(bucket);
    f.errors += row.errors ?? 0;
    byFeature.set(row.feature, f);
    all.buckets.push(bucket);
    all.errors += row.errors ?? 0;
  }
  // '' is how the ledger stores "no feature"; the API says null, like /v1/usage.
  const features = [...byFeature.keys()].sort();
  const groups = await Promise.all(features.map(async (f) => ({ feature: f === "" ? null : f, ...(await group(byFeature.get(f) as Counted, f === "" ? null : f, query, options)) })));
  return {
    tenantId,
    feature: query.feature ?? null,
    since: new Date(since).toISOString(),
    targetPrecision: query.targetPrecision,
    ...(await group(all, query.feature ?? null, query, options)),
    byFeature: groups,
  };
}
