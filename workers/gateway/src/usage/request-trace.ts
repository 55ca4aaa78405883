/**
 * GET /v1/requests/:id: one request's story from the evaluator's records: stages with
 * timings, guardrail/cache/route decisions, upstream attempts, tokens, cost (with judge cost)
 * and judge scores. Content is masked by access level:
 *   none      - no content at all;
 *   redacted  - shape only (roles, lengths, redaction placeholders), no text;
 *   decrypted - the (already PII-redacted) exchange, opened with the content keyring; the
 *               caller must hold the `content:read` scope, which the route checks.
 */
import { z } from "zod";
import { decryptText, type Keyring } from "../../../../shared/crypto/envelope";
import { featureFilter, type FeatureScope } from "./feature-scope";
import { SHADOW_SUFFIX } from "../chat/shadow-tier";

export const RequestTraceParamsSchema = z.object({ id: z.string().min(1).max(128) });
export const ContentAccessSchema = z.enum(["none", "redacted", "decrypted"]);
export type ContentAccess = z.infer<typeof ContentAccessSchema>;

export interface TraceOptions {
  contentAccess: ContentAccess;
  /** The caller's feature allow-list: a request of another feature is unknown to it (null = any). */
  features: FeatureScope;
  keyring?: Keyring;
}

const LedgerSchema = z.object({
  request_id: z.string(),
  kind: z.string(),
  key_id: z.string(),
  feature: z.string(),
  end_user: z.string().nullable(),
  model: z.string(),
  tier: z.string(),
  upstream: z.string().nullable(),
  status: z.number(),
  cache_status: z.string(),
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  cached_tokens: z.number(),
  reasoning_tokens: z.number(),
  cost_usd: z.number(),
  price_source: z.string(),
  counterfactual_cost_usd: z.number().nullable(),
  cost_avoided_usd: z.number(),
  latency_ms: z.number(),
  ttft_ms: z.number().nullable(),
  ingested_at: z.number(),
});

const TraceRowSchema = z.object({ trace_json: z.string(), content_meta_json: z.string().nullable(), content_envelope: z.string().nullable() });
const EvalRowSchema = z.object({
  status: z.string(),
  score_mean: z.number().nullable(),
  disagreement: z.number(),
  checks_json: z.string(),
  judges_json: z.string(),
  judge_cost_usd: z.number(),
  panel_version: z.string(),
  evaluated_at: z.number(),
  escalation: z.string().nullable().optional(),
  escalation_state: z.string().nullable().optional(),
});

/**
 * What the calls made because of this request cost (rows with it as parent): judging, escalated
 * cascade drafts and shadow calls (`<id>:shadow`, skip markers at 0).
 */
const CHILD_COSTS = `SELECT COALESCE(SUM(CASE WHEN kind = 'judge' THEN cost_usd END), 0) AS judge,
  COALESCE(SUM(CASE WHEN kind = 'request' AND substr(request_id, -${SHADOW_SUFFIX.length}) <> '${SHADOW_SUFFIX}' THEN cost_usd END), 0) AS draft,
  COALESCE(SUM(CASE WHEN kind = 'request' AND substr(request_id, -${SHADOW_SUFFIX.length}) = '${SHADOW_SUFFIX}' THEN cost_usd END), 0) AS shadow
  FROM usage_ledger WHERE tenant_id = ?1 AND parent_request_id = ?2`;
const ChildCostsSchema = z.object({ judge: z.number(), draft: z.number(), shadow: z.number() });
type ChildCosts = z.infer<typeof ChildCostsSchema>;

/** The judge budget did not cover this answer: the deterministic checks are all it got. */
const FallbackRowSchema = z.object({ reason: z.string(), checks_json: z.string(), recorded_at: z.number() });

function evaluationView(evaluation: z.infer<typeof EvalRowSchema> | null, fallback: z.infer<typeof FallbackRowSchema> | null) {
  if (evaluation) {
    return {
      status: evaluation.status,
      scoreMean: evaluation.score_mean,
      disagreement: evaluation.disagreement === 1,
      checks: JSON.parse(evaluation.checks_json) as unknown,
      judges: JSON.parse(evaluation.judges_json) as unknown,
      panelVersion: evaluation.panel_version,
      evaluatedAt: evaluation.evaluated_at,
      escalation: evaluation.escalation ? { reasons: evaluation.escalation.split(","), state: evaluation.escalation_state ?? null } : null,
    };
  }
  if (fallback) return { status: "checks_only", reason: fallback.reason, checks: JSON.parse(fallback.checks_json) as unknown, evaluatedAt: fallback.recorded_at };
  return null;
}

const StoredContentSchema = z.object({
  messages: z.array(z.object({ role: z.string(), content: z.string() })),
  response: z.string(),
  responseFormat: z.unknown().optional(),
});

export type RequestTrace = Awaited<ReturnType<typeof buildTrace>>;

async function content(row: z.infer<typeof TraceRowSchema> | null, opts: TraceOptions): Promise<unknown> {
  if (!row || opts.contentAccess === "none") return undefined;
  const meta: unknown = row.content_meta_json ? JSON.parse(row.content_meta_json) : null;
  if (opts.contentAccess === "redacted") return { access: "redacted", meta };
  if (!row.content_envelope) return { access: "decrypted", meta, available: false };
  if (!opts.keyring) throw new Error("decrypted content access needs a keyring");
  const exchange = StoredContentSchema.parse(JSON.parse(await decryptText(row.content_envelope, opts.keyring)));
  return { access: "decrypted", meta, available: true, ...exchange };
}

function buildTrace(
  ledger: z.infer<typeof LedgerSchema>,
  trace: Record<string, unknown>,
  evaluation: z.infer<typeof EvalRowSchema> | null,
  fallback: z.infer<typeof FallbackRowSchema> | null,
  children: ChildCosts,
) {
  return {
    requestId: ledger.request_id,
    receivedAt: trace["receivedAt"] ?? null,
    completedAt: trace["completedAt"] ?? null,
    status: ledger.status,
    errorCode: trace["errorCode"] ?? null,
    keyId: ledger.key_id,
    feature: ledger.feature || null,
    endUser: ledger.end_user,
    model: ledger.model || null,
    tier: ledger.tier || null,
    upstream: ledger.upstream,
    latencyMs: ledger.latency_ms,
    ttftMs: ledger.ttft_ms,
    stages: trace["stages"] ?? [],
    attempts: trace["attempts"] ?? [],
    decisions: trace["decisions"] ?? {},
    cache: trace["cache"] ?? { status: ledger.cache_status },
    tokens: { prompt: ledger.prompt_tokens, completion: ledger.completion_tokens, cached: ledger.cached_tokens, reasoning: ledger.reasoning_tokens },
    cost: {
      usd: ledger.cost_usd,
      priceSource: ledger.price_source,
      counterfactualUsd: ledger.counterfactual_cost_usd,
      // Net, as GET /v1/usage reports it: the drafts and shadows this request caused come off its saving.
      avoidedUsd: Math.round((ledger.cost_avoided_usd - children.draft - children.shadow) * 1e10) / 1e10,
      judgeUsd: children.judge,
      draftUsd: children.draft,
      shadowUsd: children.shadow,
    },
    evaluation: evaluationView(evaluation, fallback),
    ledgerIngestedAt: ledger.ingested_at,
  };
}

/**
 * null when the request is unknown to this tenant, or of a feature outside `opts.features`: the
 * route answers the same 404 for all three, so a restricted key learns nothing of the others.
 */
export async function getRequestTrace(db: D1Database, tenantId: string, requestId: string, opts: TraceOptions) {
  const scope = featureFilter(opts.features, 3);
  const [ledgerRes, traceRes, evalRes, judgeRes, fallbackRes] = await db.batch([
    db.prepare(`SELECT * FROM usage_ledger WHERE tenant_id = ?1 AND request_id = ?2 AND kind = 'request'${scope.sql}`).bind(tenantId, requestId, ...scope.binds),
    db.prepare("SELECT trace_json, content_meta_json, content_envelope FROM request_traces WHERE tenant_id = ?1 AND request_id = ?2").bind(tenantId, requestId),
    db.prepare("SELECT * FROM evaluations WHERE tenant_id = ?1 AND request_id = ?2").bind(tenantId, requestId),
    db.prepare(CHILD_COSTS).bind(tenantId, requestId),
    db.prepare("SELECT reason, checks_json, recorded_at FROM judge_fallbacks WHERE tenant_id = ?1 AND request_id = ?2").bind(tenantId, requestId),
  ]);
  const ledgerRow = ledgerRes?.results[0];
  if (!ledgerRow) return null;
  const ledger = LedgerSchema.parse(ledgerRow);
  const traceRow = traceRes?.results[0] ? TraceRowSchema.parse(traceRes.results[0]) : null;
  const evaluation = evalRes?.results[0] ? EvalRowSchema.parse(evalRes.results[0]) : null;
  const children = ChildCostsSchema.parse(judgeRes?.results[0] ?? { judge: 0, draft: 0, shadow: 0 });
  const trace = traceRow ? (JSON.parse(traceRow.trace_json) as Record<string, unknown>) : {};
  const fallback = fallbackRes?.results[0] ? FallbackRowSchema.parse(fallbackRes.results[0]) : null;
  const story = buildTrace(ledger, trace, evaluation, fallback, children);
  const c = await content(traceRow, opts);
  return c === undefined ? story : { ...story, content: c };
}
