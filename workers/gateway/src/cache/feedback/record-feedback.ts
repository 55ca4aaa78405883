/**
 * POST /v1/feedback: a client reports whether an answer served from the semantic cache was
 * right. The report is counted in the calibration band the hit was served from (read from the
 * request's trace, so the client cannot choose the namespace or band), tenant-scoped, once per
 * request. Only "wrong" moves the bound: clients choose what they report, so unsolicited praise
 * is a biased sample, while a reported wrong answer can only make the cache stricter. "correct"
 * is stored for the tenant's own analysis.
 *
 * A key limited to some features reports only on requests of those features (the feature as the
 * ledger booked it, usage/feature-scope.ts): any other request answers the same 404 as an unknown
 * id, from the same single query, so the report is neither an existence oracle nor a way to
 * take another feature's one report per request.
 */
import { z } from "zod";
import { calibrationIncrement } from "../../../../../shared/cache-calibration";
import { GatewayError } from "../../../../../shared/errors";
import { featureFilter, type FeatureScope } from "../../usage/feature-scope";

export const FeedbackRequestSchema = z
  .object({
    request_id: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, "a request id as returned in x-request-id"),
    verdict: z.enum(["correct", "wrong"]),
  })
  .strict();
export type FeedbackRequest = z.infer<typeof FeedbackRequestSchema>;

export interface FeedbackResult {
  request_id: string;
  verdict: FeedbackRequest["verdict"];
  /** False when a report for this request was already recorded (the first one stands). */
  recorded: boolean;
  /** Whether this report moved the false-hit bound. */
  counted: boolean;
}

/** The part of a request's trace the report needs (written by the cache stage, decision-record.ts). */
const TraceCacheSchema = z.object({
  decisions: z.object({
    cache: z.object({
      status: z.string(),
      calibration: z.object({ scorer: z.string().min(1).max(256), feature: z.string().max(256), band: z.number().int().min(0).max(1000) }).optional(),
    }),
  }),
});

/** Who reports: the tenant, the key (stored with the report) and the key's feature allow-list. */
export interface FeedbackCaller {
  tenantId: string;
  keyId: string;
  features: FeatureScope;
}

/** The trace row of a request the caller may see: the ledger row (same batch) carries its feature. */
function traceQuery(db: D1Database, caller: FeedbackCaller, requestId: string): D1PreparedStatement {
  const scope = featureFilter(caller.features, 3, "l.feature");
  const inScope = caller.features === null ? "" : ` AND EXISTS (SELECT 1 FROM usage_ledger l WHERE l.tenant_id = t.tenant_id AND l.request_id = t.request_id AND l.kind = 'request'${scope.sql})`;
  return db.prepare(`SELECT t.trace_json FROM request_traces t WHERE t.tenant_id = ?1 AND t.request_id = ?2${inScope}`).bind(caller.tenantId, requestId, ...scope.binds);
}

async function servedHit(db: D1Database, caller: FeedbackCaller, requestId: string): Promise<{ scorer: string; feature: string; band: number }> {
  const row = await traceQuery(db, caller, requestId).first<{ trace_json: string }>();
  if (!row) {
    throw new GatewayError("not_found", "No request with this id for your tenant (yet: a request's record is written within about a minute of its answer).", { param: "request_id" });
  }
  let trace: unknown;
  try {
    trace = JSON.parse(row.trace_json);
  } catch {
    trace = null;
  }
  const parsed = TraceCacheSchema.safeParse(trace);
  const cache = parsed.success ? parsed.data.decisions.cache : null;
  if (!cache || cache.status !== "hit-semantic" || !cache.calibration) {
    throw new GatewayError("conflict", "Feedback is taken for answers served from the semantic cache; this request's answer was not.", { param: "request_id", code: "not_a_semantic_hit" });
  }
  return cache.calibration;
}

export async function recordFeedback(db: D1Database, caller: FeedbackCaller, body: FeedbackRequest, now: number): Promise<FeedbackResult> {
  const hit = await servedHit(db, caller, body.request_id);
  const wrong = body.verdict === "wrong";
  const key = { tenantId: caller.tenantId, feature: hit.feature, scorerId: hit.scorer };
  const insert = db
    .prepare(
      `INSERT INTO cache_feedback (tenant_id, request_id, verdict, feature, scorer_id, band_key, key_id, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (tenant_id, request_id) DO NOTHING`,
    )
    .bind(caller.tenantId, body.request_id, body.verdict, hit.feature, hit.scorer, hit.band, caller.keyId, now);
  // The count goes first: it checks that this request has no report yet, then the row is written.
  const count = wrong ? [calibrationIncrement(db, key, hit.band, true, { table: "cache_feedback", requestId: body.request_id }, now)] : [];
  const results = await db.batch([...count, insert]);
  const recorded = (results.at(-1)?.meta.changes ?? 0) > 0;
  return { request_id: body.request_id, verdict: body.verdict, recorded, counted: recorded && wrong };
}
