/**
 * GET /v1/usage: spend and volume for the caller's tenant, answered from the hourly rollups
 * the evaluator maintains (a few rows per hour, never a ledger scan). Spend comes in three
 * lines: inference (inferenceCostUsd), judging (judgeCostUsd, judgeCalls; costUsd is their
 * sum) and what routing and caching saved (costAvoidedUsd, split into costAvoidedCacheUsd, from
 * requests the cache answered, and costAvoidedRoutingUsd, the rest: migration 0064). Escalated cascade drafts (rollup
 * kind 'draft') and shadow calls (kind 'shadow') are inference spend, but not requests: `requests`, errors and latency count
 * what clients asked for. The saving is net (docs/evaluator.md, "The saving reported is net"): all-frontier
 * cost minus every inference dollar the requests caused. A draft's cost comes off routing's part
 * (it is how a cascade serves); a shadow's is reported on its own (shadowCostUsd, monitoring),
 * so costAvoidedUsd = costAvoidedCacheUsd + costAvoidedRoutingUsd - shadowCostUsd. Judging is
 * not netted: an all-frontier tenant is judged too. The rollups keep a draft or shadow in its own
 * group (its tier, model and hour), not its request's, so the netting is done only where the
 * grouping is one a child shares with its request (NETTED_GROUPS); grouped by tier, model or
 * hour each row reports its requests' gross saving and the drafts' and shadows' spend where it
 * ran (costAvoidedNet false), rather than netting a shadow from a row it did not cause. Judging coverage comes from the
 * evaluator's judge_coverage_hourly: answers eligible for judging, judged, escalated to a
 * strong judge, and left to the deterministic checks by the judge budget.
 */
import { z } from "zod";
import { featureFilter, type FeatureScope } from "./feature-scope";

const HOUR_MS = 3_600_000;
/**
 * Groupings a draft or shadow shares with its request: the same feature and key always, the same
 * day but for one that crosses midnight UTC (seconds apart: like a query's range ends, each call
 * counts where it completed). Tier and model differ by construction (a shadow runs on the tier
 * that did not serve), and the hour too often (review s12-a finding 3) for a row to be netted.
 */
export const NETTED_GROUPS: ReadonlySet<UsageGroup> = new Set(["day", "feature", "key"]);
const DAY_MS = 86_400_000;
const MAX_RANGE_MS = 400 * DAY_MS;

export const USAGE_GROUPS = ["hour", "day", "feature", "model", "tier", "key"] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];

// Year 9999 at most: later instants cannot be formatted as ISO dates (a RangeError, a 500).
const MAX_INSTANT_MS = 253_402_300_799_999;
const instant = z.union([z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)), z.coerce.number().int().nonnegative()]).pipe(z.number().max(MAX_INSTANT_MS, "dates end at year 9999"));

/** Query-string shape: ?from=ISO&to=ISO&groupBy=day,feature */
export const UsageQuerySchema = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    groupBy: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => (Array.isArray(v) ? v : (v ?? "day").split(",")).map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.enum(USAGE_GROUPS)).max(USAGE_GROUPS.length)),
  })
  .transform((q) => {
    const to = q.to ?? Date.now();
    return { from: q.from ?? to - 7 * DAY_MS, to, groupBy: [...new Set(q.groupBy)] };
  })
  .refine((q) => q.from < q.to && q.to - q.from <= MAX_RANGE_MS, { message: "need from < to and a range of at most 400 days" });
export type UsageQuery = z.output<typeof UsageQuerySchema>;

export interface UsageRow {
  hour?: string;
  day?: string;
  feature?: string | null;
  model?: string;
  tier?: string;
  key?: string;
  requests: number;
  errors: number;
  cacheHits: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  /** Inference + judging. */
  costUsd: number;
  inferenceCostUsd: number;
  /**
   * Against the all-frontier counterfactual. With costAvoidedNet, net of every inference call the
   * requests caused (cache + routing - shadows); else the requests' gross saving (cache + routing).
   */
  costAvoidedUsd: number;
  /** The part from requests the cache answered (exact or semantic hits). */
  costAvoidedCacheUsd: number;
  /** Requests that reached a model cheaper than the frontier, less their escalated cascade drafts when costAvoidedNet (can be negative). */
  costAvoidedRoutingUsd: number;
  /** Shadow calls (`<id>:shadow`, the router's quality monitoring) that ran in this group: inference spend, netted from costAvoidedUsd when costAvoidedNet. */
  shadowCostUsd: number;
  /** Escalated cascade drafts that ran in this group: inference spend, netted from costAvoidedRoutingUsd when costAvoidedNet. */
  draftCostUsd: number;
  judgeCalls: number;
  judgeCostUsd: number;
  /** judgeCostUsd / inferenceCostUsd (the judge budget caps it per tenant and day); null without inference spend. */
  judgeShare: number | null;
  judgeEligible: number;
  judged: number;
  judgeEscalated: number;
  judgeEscalationsSkipped: number;
  /** Answers the judge budget did not cover: deterministic checks only (and how many failed them). */
  judgeChecksOnly: number;
  judgeChecksFailed: number;
  /** judged / judgeEligible; null when nothing was eligible (or grouped by key: coverage is not kept per key). */
  judgeCoverage: number | null;
  avgLatencyMs: number | null;
}

export interface UsageReport {
  tenantId: string;
  from: string;
  to: string;
  groupBy: UsageGroup[];
  /** Whether costAvoidedUsd is net of drafts and shadows: only when every grouping is in NETTED_GROUPS. */
  costAvoidedNet: boolean;
  rows: UsageRow[];
}

const GROUP_EXPR: Record<UsageGroup, string> = {
  hour: "hour",
  day: `(hour / ${DAY_MS}) * ${DAY_MS}`,
  feature: "feature",
  model: "model",
  tier: "tier",
  key: "key_id",
};

/** The group columns a query selected (coverage has no key column). */
const GroupSchema = z.object({
  g_hour: z.number().optional(),
  g_day: z.number().optional(),
  g_feature: z.string().optional(),
  g_model: z.string().optional(),
  g_tier: z.string().optional(),
});

const DbRowSchema = GroupSchema.extend({
  g_key: z.string().optional(),
  requests: z.number().nullable(),
  errors: z.number().nullable(),
  cache_hits: z.number().nullable(),
  prompt_tokens: z.number().nullable(),
  completion_tokens: z.number().nullable(),
  cached_tokens: z.number().nullable(),
  reasoning_tokens: z.number().nullable(),
  cost_usd: z.number().nullable(),
  cost_avoided_usd: z.number().nullable(),
  cost_avoided_cache_usd: z.number().nullable(),
  draft_cost_usd: z.number().nullable(),
  shadow_cost_usd: z.number().nullable(),
  inference_cost_usd: z.number().nullable(),
  judge_calls: z.number().nullable(),
  judge_cost_usd: z.number().nullable(),
  latency_ms_sum: z.number().nullable(),
});

const usd = (n: number | null): number => Math.round((n ?? 0) * 1e8) / 1e8;

/** judge_coverage_hourly's counters, summed per group. */
const COVERAGE_SUMS = ["eligible", "judged", "escalated", "escalations_skipped", "checks_only", "checks_failed"] as const;
const CoverageRowSchema = GroupSchema.extend(
  Object.fromEntries(COVERAGE_SUMS.map((c) => [c, z.number().nullable()])) as Record<(typeof COVERAGE_SUMS)[number], z.ZodNullable<z.ZodNumber>>,
);
type CoverageRow = z.infer<typeof CoverageRowSchema>;

const groupKey = (r: z.infer<typeof GroupSchema>): string =>
  JSON.stringify([r.g_hour, r.g_day, r.g_feature, r.g_model, r.g_tier]);

function judging(c: CoverageRow | undefined): Pick<UsageRow, "judgeEligible" | "judged" | "judgeEscalated" | "judgeEscalationsSkipped" | "judgeChecksOnly" | "judgeChecksFailed" | "judgeCoverage"> {
  const eligible = c?.eligible ?? 0;
  const judged = c?.judged ?? 0;
  return {
    judgeEligible: eligible,
    judged,
    judgeEscalated: c?.escalated ?? 0,
    judgeEscalationsSkipped: c?.escalations_skipped ?? 0,
    judgeChecksOnly: c?.checks_only ?? 0,
    judgeChecksFailed: c?.checks_failed ?? 0,
    judgeCoverage: eligible > 0 ? Math.round((judged / eligible) * 10_000) / 10_000 : null,
  };
}

/** The saving's lines from the requests' gross cost avoided and, when `net`, the spend of the calls they caused. */
function avoided(r: z.infer<typeof DbRowSchema>, net: boolean): Pick<UsageRow, "costAvoidedUsd" | "costAvoidedCacheUsd" | "costAvoidedRoutingUsd" | "shadowCostUsd" | "draftCostUsd"> {
  const [gross, cache, shadows] = [r.cost_avoided_usd ?? 0, r.cost_avoided_cache_usd ?? 0, r.shadow_cost_usd ?? 0];
  const [drafts, netShadows] = net ? [r.draft_cost_usd ?? 0, shadows] : [0, 0];
  return {
    costAvoidedUsd: usd(gross - drafts - netShadows), costAvoidedCacheUsd: usd(cache), costAvoidedRoutingUsd: usd(gross - cache - drafts),
    shadowCostUsd: usd(shadows), draftCostUsd: usd(r.draft_cost_usd),
  };
}

function toRow(r: z.infer<typeof DbRowSchema>, coverage: CoverageRow | undefined, net: boolean): UsageRow {
  const requests = r.requests ?? 0;
  const inference = usd(r.inference_cost_usd);
  const judge = usd(r.judge_cost_usd);
  return {
    ...(r.g_hour !== undefined ? { hour: new Date(r.g_hour).toISOString() } : {}),
    ...(r.g_day !== undefined ? { day: new Date(r.g_day).toISOString().slice(0, 10) } : {}),
    ...(r.g_feature !== undefined ? { feature: r.g_feature === "" ? null : r.g_feature } : {}),
    ...(r.g_model !== undefined ? { model: r.g_model } : {}),
    ...(r.g_tier !== undefined ? { tier: r.g_tier } : {}),
    ...(r.g_key !== undefined ? { key: r.g_key } : {}),
    requests,
    errors: r.errors ?? 0,
    cacheHits: r.cache_hits ?? 0,
    promptTokens: r.prompt_tokens ?? 0,
    completionTokens: r.completion_tokens ?? 0,
    cachedTokens: r.cached_tokens ?? 0,
    reasoningTokens: r.reasoning_tokens ?? 0,
    costUsd: usd(r.cost_usd),
    inferenceCostUsd: inference,
    ...avoided(r, net),
    judgeCalls: r.judge_calls ?? 0,
    judgeCostUsd: judge,
    judgeShare: inference > 0 ? Math.round((judge / inference) * 10_000) / 10_000 : null,
    ...judging(coverage),
    avgLatencyMs: requests > 0 ? Math.round(((r.latency_ms_sum ?? 0) / requests) * 10) / 10 : null,
  };
}

const req = (col: string): string => `SUM(CASE WHEN kind = 'request' THEN ${col} ELSE 0 END)`;

/** `features`: the caller's allow-list (null = every feature); other features' rows are left out. */
export async function queryUsage(db: D1Database, tenantId: string, query: UsageQuery, features: FeatureScope): Promise<UsageReport> {
  const scope = featureFilter(features, 4);
  const groups = query.groupBy.map((g) => `${GROUP_EXPR[g]} AS g_${g}`);
  const sql = `SELECT ${[...groups, `${req("requests")} AS requests`, `${req("errors")} AS errors`, `${req("cache_hits")} AS cache_hits`,
    "SUM(prompt_tokens) AS prompt_tokens", "SUM(completion_tokens) AS completion_tokens", "SUM(cached_tokens) AS cached_tokens",
    "SUM(reasoning_tokens) AS reasoning_tokens", "SUM(cost_usd) AS cost_usd", `${req("cost_avoided_usd")} AS cost_avoided_usd`, `${req("cost_avoided_cache_usd")} AS cost_avoided_cache_usd`,
    "SUM(CASE WHEN kind = 'draft' THEN cost_usd ELSE 0 END) AS draft_cost_usd", "SUM(CASE WHEN kind = 'shadow' THEN cost_usd ELSE 0 END) AS shadow_cost_usd",
    "SUM(CASE WHEN kind <> 'judge' THEN cost_usd ELSE 0 END) AS inference_cost_usd",
    "SUM(CASE WHEN kind = 'judge' THEN requests ELSE 0 END) AS judge_calls", "SUM(CASE WHEN kind = 'judge' THEN cost_usd ELSE 0 END) AS judge_cost_usd",
    `${req("latency_ms_sum")} AS latency_ms_sum`].join(", ")}
    FROM usage_rollups_hourly WHERE tenant_id = ?1 AND hour >= ?2 AND hour < ?3${scope.sql}
    ${groups.length ? `GROUP BY ${query.groupBy.map((g) => `g_${g}`).join(", ")} ORDER BY ${query.groupBy.map((g) => `g_${g}`).join(", ")}` : ""}
    LIMIT 10000`;
  const fromHour = Math.floor(query.from / HOUR_MS) * HOUR_MS;
  const { results } = await db.prepare(sql).bind(tenantId, fromHour, query.to, ...scope.binds).all();
  const rows = z.array(DbRowSchema).parse(results).filter((r) => r.requests !== null || r.judge_calls !== null);
  const coverage = await queryCoverage(db, tenantId, query, fromHour, features);
  const net = query.groupBy.every((g) => NETTED_GROUPS.has(g));
  return { tenantId, from: new Date(query.from).toISOString(), to: new Date(query.to).toISOString(), groupBy: query.groupBy, costAvoidedNet: net, rows: rows.map((r) => toRow(r, coverage.get(groupKey(r)), net)) };
}

/** Judging coverage with the same grouping (not kept per key: grouping by key leaves it out). */
async function queryCoverage(db: D1Database, tenantId: string, query: UsageQuery, fromHour: number, features: FeatureScope): Promise<Map<string, CoverageRow>> {
  if (query.groupBy.includes("key")) return new Map();
  const scope = featureFilter(features, 4);
  const groups = query.groupBy.map((g) => `${GROUP_EXPR[g]} AS g_${g}`);
  const sums = COVERAGE_SUMS.map((c) => `SUM(${c}) AS ${c}`);
  const sql = `SELECT ${[...groups, ...sums].join(", ")} FROM judge_coverage_hourly WHERE tenant_id = ?1 AND hour >= ?2 AND hour < ?3${scope.sql}
    ${groups.length ? `GROUP BY ${query.groupBy.map((g) => `g_${g}`).join(", ")}` : ""} LIMIT 10000`;
  const { results } = await db.prepare(sql).bind(tenantId, fromHour, query.to, ...scope.binds).all();
  return new Map(z.array(CoverageRowSchema).parse(results).map((r) => [groupKey(r), r]));
}
