/**
 * GET /v1/evaluations (and GraphQL `evaluations`): the judge panel's verdicts, newest first, by
 * time, feature, model and score. Scores and reasons codes only, no content (the judges'
 * per-rubric detail is in GET /v1/requests/:id). Tenant- and feature-scoped like every usage
 * read; keyset pages on (completed_at, request_id) through evaluations_tenant_time; at most
 * 31 days per query.
 */
import { z } from "zod";
import { decodeCursor, pageOf, type Page } from "../http/page";
import { DAY_MS, withTimeRange } from "../http/time-range";
import { featureFilter, type FeatureScope } from "./feature-scope";
import { KeysetCursorSchema, listWindowShape } from "./list-window";

export const ListEvaluationsQuerySchema = withTimeRange(
  z
  .object({
    ...listWindowShape,
    /** Only verdicts whose panel mean is at most this (find the bad answers). */
    maxScore: z.coerce.number().min(0).max(10).optional(),
  })
  .strict(),
  7 * DAY_MS,
  31 * DAY_MS,
);
export type ListEvaluationsQuery = z.output<typeof ListEvaluationsQuerySchema>;

const RowSchema = z.object({
  request_id: z.string(),
  feature: z.string(),
  model: z.string(),
  tier: z.string(),
  status: z.string(),
  score_mean: z.number().nullable(),
  disagreement: z.number(),
  judge_cost_usd: z.number(),
  panel_version: z.string(),
  completed_at: z.number(),
  evaluated_at: z.number(),
  escalation: z.string().nullable(),
  escalation_state: z.string().nullable(),
});

export interface EvaluationSummary {
  requestId: string;
  feature: string | null;
  model: string | null;
  tier: string | null;
  status: string;
  scoreMean: number | null;
  disagreement: boolean;
  judgeCostUsd: number;
  panelVersion: string;
  /** Why the strong judge was asked, and where that stands (null: the cheap verdict is final). */
  escalation: { reasons: string[]; state: string | null } | null;
  completedAt: string;
  evaluatedAt: string;
}

function view(r: z.infer<typeof RowSchema>): EvaluationSummary {
  return {
    requestId: r.request_id,
    feature: r.feature || null,
    model: r.model || null,
    tier: r.tier || null,
    status: r.status,
    scoreMean: r.score_mean,
    disagreement: r.disagreement === 1,
    judgeCostUsd: r.judge_cost_usd,
    panelVersion: r.panel_version,
    escalation: r.escalation ? { reasons: r.escalation.split(","), state: r.escalation_state } : null,
    completedAt: new Date(r.completed_at).toISOString(),
    evaluatedAt: new Date(r.evaluated_at).toISOString(),
  };
}

export async function listEvaluations(db: D1Database, tenantId: string, query: ListEvaluationsQuery, features: FeatureScope): Promise<Page<EvaluationSummary>> {
  const [atOrBefore, afterId] = decodeCursor(query.cursor, KeysetCursorSchema) ?? [query.to, ""];
  const scope = featureFilter(features, 9);
  const sql = `SELECT request_id, feature, model, tier, status, score_mean, disagreement, judge_cost_usd, panel_version, completed_at, evaluated_at,
      escalation, escalation_state
    FROM evaluations
    WHERE tenant_id = ?1 AND completed_at >= ?2 AND (completed_at < ?3 OR (?4 <> '' AND completed_at = ?3 AND request_id < ?4))
      AND (?5 IS NULL OR feature = ?5) AND (?6 IS NULL OR model = ?6) AND (?7 IS NULL OR score_mean <= ?7)${scope.sql}
    ORDER BY completed_at DESC, request_id DESC LIMIT ?8`;
  const { results } = await db
    .prepare(sql)
    .bind(tenantId, query.from, atOrBefore, afterId, query.feature ?? null, query.model ?? null, query.maxScore ?? null, query.limit + 1, ...scope.binds)
    .all();
  return pageOf(z.array(RowSchema).parse(results), query.limit, (r) => [r.completed_at, r.request_id], view);
}
