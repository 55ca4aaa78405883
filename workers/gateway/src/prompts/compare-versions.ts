/**
 * GET /v1/prompts/:id/compare: each version of one prompt side by side over a time range:
 * volume, errors, cost, latency, judge score and escalation rate, from the ledger rows the
 * evaluator wrote with the version (usage_ledger.prompt_id / prompt_version, migration 0061).
 *
 * The hourly rollups have no prompt dimension, and adding one would multiply their rows for
 * every tenant; instead this reads the prompt's own ledger rows through the partial index
 * usage_ledger_prompt_time, bounded by the range (at most 90 days). Cost: one index range
 * scan of the prompt's requests in the range plus, per request, a primary-key lookup each in
 * evaluations and request_traces and an index probe for its judge calls (so ~4 rows read per
 * request: 100,000 requests is ~400,000 D1 rows read). Percentiles come from a second pass
 * over the same rows with window functions.
 *
 * Escalation = the router sent the request one tier up for low confidence, or a cascade draft
 * failed verification and the stronger tier answered (decisions in the request's trace).
 * Cascade drafts and shadow calls are their own ledger rows (`<id>:draft`, `<id>:shadow`,
 * pointing at their request): their cost counts; they are not requests, and their judge
 * verdicts (a shadow is judged beside the served answer) stay out of the version's score.
 */
import { z } from "zod";
import { GatewayError } from "../../../../shared/errors";
import { CLIENT_CLOSED_STATUS } from "../../../../shared/schemas/usage-event";
import { DAY_MS, InstantSchema, withTimeRange } from "../http/time-range";
import { featureFilter } from "../usage/feature-scope";
import { promptRow, type PromptCaller } from "./prompt-reads";

export const MAX_COMPARE_RANGE_MS = 90 * DAY_MS;

export const CompareQuerySchema = withTimeRange(
  z
    .object({
      from: InstantSchema.optional(),
      to: InstantSchema.optional(),
      versions: z
        .union([z.string(), z.array(z.string())])
        .optional()
        .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter(Boolean)))
        .pipe(z.array(z.string().regex(/^[1-9][0-9]{0,6}$/, "versions are numbers, comma-separated").transform(Number)).max(20))
        .transform((v) => [...new Set(v)].sort((a, b) => b - a)),
    })
    .strict(),
  7 * DAY_MS,
  MAX_COMPARE_RANGE_MS,
);
export type CompareQuery = z.output<typeof CompareQuerySchema>;

export interface VersionStats {
  version: number;
  requests: number;
  errors: number;
  errorRate: number | null;
  cacheHits: number;
  /** Inference cost of the version's requests (cascade drafts included), and per request. */
  costUsd: number;
  costPerRequestUsd: number | null;
  judgeCostUsd: number;
  latencyMs: { mean: number | null; p50: number | null; p95: number | null };
  ttftMsMean: number | null;
  judged: number;
  judgeScoreMean: number | null;
  escalated: number;
  escalationRate: number | null;
}

export interface VersionComparison {
  promptId: string;
  from: string;
  to: string;
  versions: VersionStats[];
}

const AggSchema = z.object({
  v: z.number(),
  requests: z.number().nullable(),
  errors: z.number().nullable(),
  cache_hits: z.number().nullable(),
  cost_usd: z.number().nullable(),
  judge_cost_usd: z.number().nullable(),
  latency_mean: z.number().nullable(),
  ttft_mean: z.number().nullable(),
  judged: z.number().nullable(),
  score_mean: z.number().nullable(),
  escalated: z.number().nullable(),
});
const PctSchema = z.object({ v: z.number(), p: z.number(), latency_ms: z.number() });

/**
 * The prompt's ledger rows in the range. A prompt tied to a feature only serves requests of that
 * feature, so a restricted key's rows are already its own; the feature filter (at ?5) keeps it
 * so should a row ever say otherwise.
 */
const rows = (scope: string) => `SELECT l.prompt_version AS v, l.request_id, l.status, l.cost_usd, l.latency_ms, l.ttft_ms, l.cache_status,
    (l.parent_request_id IS NOT NULL OR l.request_id LIKE '%:draft') AS draft
  FROM usage_ledger l
  WHERE l.tenant_id = ?1 AND l.prompt_id = ?2 AND l.completed_at >= ?3 AND l.completed_at < ?4 AND l.kind <> 'judge' AND l.prompt_version IS NOT NULL${scope}`;

const agg = (scope: string) => `WITH r AS (${rows(scope)})
SELECT r.v,
  SUM(NOT r.draft) AS requests,
  SUM(CASE WHEN NOT r.draft AND r.status >= 400 AND r.status <> ${CLIENT_CLOSED_STATUS} THEN 1 ELSE 0 END) AS errors,
  SUM(CASE WHEN NOT r.draft AND r.cache_status IN ('hit-exact', 'hit-semantic') THEN 1 ELSE 0 END) AS cache_hits,
  SUM(r.cost_usd) AS cost_usd,
  SUM((SELECT COALESCE(SUM(j.cost_usd), 0) FROM usage_ledger j WHERE j.parent_request_id = r.request_id AND j.tenant_id = ?1 AND j.kind = 'judge')) AS judge_cost_usd,
  AVG(CASE WHEN NOT r.draft THEN r.latency_ms END) AS latency_mean,
  AVG(CASE WHEN NOT r.draft THEN r.ttft_ms END) AS ttft_mean,
  COUNT(CASE WHEN NOT r.draft THEN e.score_mean END) AS judged,
  AVG(CASE WHEN NOT r.draft THEN e.score_mean END) AS score_mean,
  SUM(CASE WHEN NOT r.draft AND (json_extract(t.trace_json, '$.decisions.route.escalate') = 1
    OR json_extract(t.trace_json, '$.decisions.cascade.accepted') = 0) THEN 1 ELSE 0 END) AS escalated
FROM r
LEFT JOIN evaluations e ON e.request_id = r.request_id AND e.tenant_id = ?1
LEFT JOIN request_traces t ON t.request_id = r.request_id AND t.tenant_id = ?1
GROUP BY r.v`;

// Nearest-rank percentiles in integer arithmetic (SQLite builds may lack ceil()).
const pct = (scope: string) => `WITH r AS (${rows(scope)}),
ranked AS (SELECT v, latency_ms, ROW_NUMBER() OVER (PARTITION BY v ORDER BY latency_ms) AS rn, COUNT(*) OVER (PARTITION BY v) AS n FROM r WHERE NOT draft)
SELECT v, 50 AS p, latency_ms FROM ranked WHERE rn = (n * 50 + 99) / 100
UNION ALL SELECT v, 95 AS p, latency_ms FROM ranked WHERE rn = (n * 95 + 99) / 100`;

const round = (n: number | null, digits: number): number | null => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);
const rate = (part: number, whole: number): number | null => (whole > 0 ? round(part / whole, 4) : null);

function stats(version: number, a: z.infer<typeof AggSchema> | undefined, pct: Map<string, number>): VersionStats {
  const requests = a?.requests ?? 0;
  const errors = a?.errors ?? 0;
  const cost = round(a?.cost_usd ?? 0, 8) ?? 0;
  const escalated = a?.escalated ?? 0;
  return {
    version,
    requests,
    errors,
    errorRate: rate(errors, requests),
    cacheHits: a?.cache_hits ?? 0,
    costUsd: cost,
    costPerRequestUsd: requests > 0 ? round(cost / requests, 8) : null,
    judgeCostUsd: round(a?.judge_cost_usd ?? 0, 8) ?? 0,
    latencyMs: { mean: round(a?.latency_mean ?? null, 1), p50: pct.get(`${version}:50`) ?? null, p95: pct.get(`${version}:95`) ?? null },
    ttftMsMean: round(a?.ttft_mean ?? null, 1),
    judged: a?.judged ?? 0,
    judgeScoreMean: round(a?.score_mean ?? null, 3),
    escalated,
    escalationRate: rate(escalated, requests),
  };
}

export async function compareVersions(db: D1Database, caller: PromptCaller, id: string, query: CompareQuery): Promise<VersionComparison> {
  const prompt = await promptRow(db, caller, id);
  const missing = query.versions.find((v) => v > prompt.latest_version);
  if (missing !== undefined) throw new GatewayError("not_found", `Prompt ${JSON.stringify(id)} has no version ${missing} (latest is ${prompt.latest_version}).`, { param: "versions", code: "prompt_version_not_found" });
  const scope = featureFilter(caller.features, 5, "l.feature");
  const args = [caller.tenantId, prompt.id, query.from, query.to, ...scope.binds];
  const [aggRes, pctRes] = await db.batch([db.prepare(agg(scope.sql)).bind(...args), db.prepare(pct(scope.sql)).bind(...args)]);
  const byVersion = new Map(z.array(AggSchema).parse(aggRes?.results ?? []).map((a) => [a.v, a]));
  const percentiles = new Map(z.array(PctSchema).parse(pctRes?.results ?? []).map((p) => [`${p.v}:${p.p}`, round(p.latency_ms, 1) ?? 0]));
  const versions = query.versions.length > 0 ? query.versions : [...byVersion.keys()].sort((a, b) => b - a);
  return { promptId: prompt.id, from: new Date(query.from).toISOString(), to: new Date(query.to).toISOString(), versions: versions.map((v) => stats(v, byVersion.get(v), percentiles)) };
}
