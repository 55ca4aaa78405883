/**
 * GET /v1/requests (and GraphQL `requests`): the trace explorer's search, newest first, over
 * the ledger's request rows: by time, feature, status, model, tier, cache outcome or prompt.
 * Metadata only (no content, for any role): the content of one request is read with
 * GET /v1/requests/:id, masked by role there. Scoped to the caller's tenant and, for a key
 * limited to some features, to those features (feature-scope.ts), like every usage read.
 * Cascade drafts are their parent request's detail, not requests of their own, and are left out.
 *
 * Keyset pages on (completed_at, request_id) through usage_ledger_tenant_time, so a page costs
 * the same at any depth; the range is at most 31 days.
 */
import { z } from "zod";
import { CLIENT_CLOSED_STATUS } from "../../../../shared/schemas/usage-event";
import { decodeCursor, pageOf, type Page } from "../http/page";
import { DAY_MS, withTimeRange } from "../http/time-range";
import { PromptIdSchema } from "../prompts/schemas";
import { featureFilter, type FeatureScope } from "./feature-scope";
import { KeysetCursorSchema, listWindowShape, TokenSchema } from "./list-window";

export const ListRequestsQuerySchema = withTimeRange(
  z
  .object({
    ...listWindowShape,
    /** "ok", "error" (as /v1/usage counts errors) or one HTTP status. */
    status: z.union([z.enum(["ok", "error"]), z.coerce.number().int().min(100).max(599)]).optional(),
    tier: TokenSchema.optional(),
    cache: z.enum(["hit-exact", "hit-semantic", "miss", "bypass", "off"]).optional(),
    promptId: PromptIdSchema.optional(),
  })
  .strict(),
  DAY_MS,
  31 * DAY_MS,
);
export type ListRequestsQuery = z.output<typeof ListRequestsQuerySchema>;

const RowSchema = z.object({
  request_id: z.string(),
  key_id: z.string(),
  feature: z.string(),
  model: z.string(),
  tier: z.string(),
  status: z.number(),
  error_code: z.string().nullable(),
  cache_status: z.string(),
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  cost_usd: z.number(),
  latency_ms: z.number(),
  ttft_ms: z.number().nullable(),
  received_at: z.number(),
  completed_at: z.number(),
  prompt_id: z.string().nullable(),
  prompt_version: z.number().nullable(),
  eval_status: z.string().nullable(),
  score_mean: z.number().nullable(),
});

export interface RequestSummary {
  requestId: string;
  receivedAt: string;
  completedAt: string;
  keyId: string;
  feature: string | null;
  model: string | null;
  tier: string | null;
  status: number;
  errorCode: string | null;
  cacheStatus: string;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  latencyMs: number;
  ttftMs: number | null;
  prompt: { id: string; version: number } | null;
  /** The judges' verdict when there is one: "ok" or "error" and the panel mean. */
  evaluation: { status: string; scoreMean: number | null } | null;
}

function view(r: z.infer<typeof RowSchema>): RequestSummary {
  return {
    requestId: r.request_id,
    receivedAt: new Date(r.received_at).toISOString(),
    completedAt: new Date(r.completed_at).toISOString(),
    keyId: r.key_id,
    feature: r.feature || null,
    model: r.model || null,
    tier: r.tier || null,
    status: r.status,
    errorCode: r.error_code,
    cacheStatus: r.cache_status,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    costUsd: r.cost_usd,
    latencyMs: r.latency_ms,
    ttftMs: r.ttft_ms,
    prompt: r.prompt_id !== null && r.prompt_version !== null ? { id: r.prompt_id, version: r.prompt_version } : null,
    evaluation: r.eval_status !== null ? { status: r.eval_status, scoreMean: r.score_mean } : null,
  };
}

function statusSql(status: ListRequestsQuery["status"]): string {
  if (status === undefined) return "";
  if (status === "ok") return ` AND NOT (l.status >= 400 AND l.status <> ${CLIENT_CLOSED_STATUS})`;
  if (status === "error") return ` AND l.status >= 400 AND l.status <> ${CLIENT_CLOSED_STATUS}`;
  return ` AND l.status = ${status}`;
}

export async function listRequests(db: D1Database, tenantId: string, query: ListRequestsQuery, features: FeatureScope): Promise<Page<RequestSummary>> {
  const [atOrBefore, afterId] = decodeCursor(query.cursor, KeysetCursorSchema) ?? [query.to, ""];
  const scope = featureFilter(features, 11, "l.feature");
  const sql = `SELECT l.request_id, l.key_id, l.feature, l.model, l.tier, l.status, l.error_code, l.cache_status, l.prompt_tokens,
      l.completion_tokens, l.cost_usd, l.latency_ms, l.ttft_ms, l.received_at, l.completed_at, l.prompt_id, l.prompt_version,
      e.status AS eval_status, e.score_mean
    FROM usage_ledger l LEFT JOIN evaluations e ON e.request_id = l.request_id AND e.tenant_id = l.tenant_id
    WHERE l.tenant_id = ?1 AND l.kind = 'request' AND l.parent_request_id IS NULL AND l.request_id NOT LIKE '%:draft'
      AND l.completed_at >= ?2 AND (l.completed_at < ?3 OR (?4 <> '' AND l.completed_at = ?3 AND l.request_id < ?4))
      AND (?5 IS NULL OR l.feature = ?5) AND (?6 IS NULL OR l.model = ?6) AND (?7 IS NULL OR l.tier = ?7)
      AND (?8 IS NULL OR l.cache_status = ?8) AND (?9 IS NULL OR l.prompt_id = ?9)${statusSql(query.status)}${scope.sql}
    ORDER BY l.completed_at DESC, l.request_id DESC LIMIT ?10`;
  const { results } = await db
    .prepare(sql)
    .bind(tenantId, query.from, atOrBefore, afterId, query.feature ?? null, query.model ?? null, query.tier ?? null, query.cache ?? null, query.promptId ?? null, query.limit + 1, ...scope.binds)
    .all();
  return pageOf(z.array(RowSchema).parse(results), query.limit, (r) => [r.completed_at, r.request_id], view);
}
