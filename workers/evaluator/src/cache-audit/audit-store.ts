/**
 * Persists a cache-audit verdict: the cache_audits row (migration 0017; a shadow check's row in
 * cache_shadow_checks, migration 0055), its count in the false-hit bound, and one ledger row
 * (kind 'judge', `<request>#cache-audit:<judge>`) per judge, billed to the hit's tenant, key and
 * feature like every other judge call. Same idempotency as the evaluations: ON CONFLICT DO
 * NOTHING on the request id and the nonce-gated rollup, all in one D1 batch.
 */
import { calibrationIncrement } from "../../../../shared/cache-calibration";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { judgeLedgerRow } from "../judge/evaluation-store";
import { ledgerStatements } from "../ledger/ledger-statements";
import type { PriceBook } from "../pricing/price-book";
import type { AuditVerdict } from "./audit-panel";
import type { CacheAudit } from "./audit-prompt";

export const CACHE_AUDIT_PURPOSE = "cache-audit";

/** Served hits go to cache_audits (hit precision); shadow checks, never served, to their own table. */
const tableOf = (audit: CacheAudit): "cache_audits" | "cache_shadow_checks" => (audit.kind === "shadow" ? "cache_shadow_checks" : "cache_audits");

const insertInto = (table: string): string => `INSERT INTO ${table} (request_id, tenant_id, feature, entry_id, similarity, cached_model_or_tier, status,
  score_mean, pass_score, correct, judges_json, judge_cost_usd, panel_version, created_at, judged_at, scorer_id, band_key)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) ON CONFLICT (request_id) DO NOTHING`;

export interface AuditContext {
  event: UsageEvent;
  audit: CacheAudit;
  passScore: number;
  panelVersion: string;
  now: number;
}

export function auditStatements(db: D1Database, ctx: AuditContext, verdict: AuditVerdict, book: PriceBook, nonce: string): D1PreparedStatement[] {
  const { event, audit, now } = ctx;
  const rows = verdict.judges.map((j) => judgeLedgerRow(event, j, book, now, CACHE_AUDIT_PURPOSE));
  const judgeCost = rows.reduce((s, r) => s + r.costUsd, 0);
  const judges = verdict.judges.map((j) => ({ name: j.name, model: j.model, version: j.version, weight: j.weight, scores: j.scores, error: j.error }));
  const row = db
    .prepare(insertInto(tableOf(audit)))
    .bind(
      event.requestId, event.tenantId, event.feature ?? "", audit.entryId, audit.similarity, audit.cachedModelOrTier, "ok",
      verdict.scoreMean, ctx.passScore, verdict.correct ? 1 : 0, JSON.stringify({ judges, disagreement: verdict.disagreement }),
      judgeCost, ctx.panelVersion, event.completedAt, now, audit.scorer, audit.band ?? null,
    );
  return [...calibrationStatements(db, ctx, verdict), row, ...rows.flatMap((r) => ledgerStatements(db, r, nonce, now))];
}

/**
 * The verdict counted in the namespace's band for the false-hit bound (before the audit row, so
 * a redelivered event, whose row exists, counts nothing). Payloads from gateways that did not
 * send a scorer and band are not counted.
 */
function calibrationStatements(db: D1Database, ctx: AuditContext, verdict: AuditVerdict): D1PreparedStatement[] {
  const { event, audit } = ctx;
  if (audit.band === undefined || audit.scorer === "") return [];
  const key = { tenantId: event.tenantId, feature: event.feature ?? "", scorerId: audit.scorer };
  return [calibrationIncrement(db, key, audit.band, !verdict.correct, { table: tableOf(audit), requestId: event.requestId }, ctx.now)];
}

/** Judges stayed unreachable for the whole retry budget: record the gap (no verdict) and move on. */
export function auditErrorStatement(db: D1Database, ctx: AuditContext, reason: string): D1PreparedStatement {
  const { event, audit } = ctx;
  return db
    .prepare(insertInto(tableOf(audit)))
    .bind(
      event.requestId, event.tenantId, event.feature ?? "", audit.entryId, audit.similarity, audit.cachedModelOrTier, "error",
      null, ctx.passScore, null, JSON.stringify({ error: reason.slice(0, 500) }), 0, ctx.panelVersion, event.completedAt, ctx.now,
      audit.scorer, audit.band ?? null,
    );
}

export async function isAudited(db: D1Database, tenantId: string, requestId: string): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS x FROM cache_audits WHERE tenant_id = ?1 AND request_id = ?2 UNION ALL SELECT 1 FROM cache_shadow_checks WHERE tenant_id = ?1 AND request_id = ?2 LIMIT 1")
    .bind(tenantId, requestId)
    .first();
  return row !== null;
}
