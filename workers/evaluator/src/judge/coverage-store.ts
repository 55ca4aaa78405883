/**
 * What the judge budget bought: checks-only fallbacks (judge_fallbacks) and the hourly
 * coverage rollup (judge_coverage_hourly, migration 0054), plus the batch lookup of what was
 * already decided for a set of requests (so a redelivery judges and bills nothing twice).
 * Coverage counts are read back from the rows this delivery wrote (matching nonce), never
 * added blindly, so replays add nothing.
 */
import type { CheckResult } from "./checks";
import { hardFailure } from "./checks";
import type { EscalationState, JudgedRequest } from "./evaluation-store";
import { ESCALATION_REASONS, type EscalationReason } from "./policy";

const HOUR = 3_600_000;

export function fallbackStatement(db: D1Database, event: JudgedRequest, checks: CheckResult, reason: string, nonce: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO judge_fallbacks (request_id, tenant_id, feature, model, tier, reason, checks_json, hard_failure, completed_at, recorded_at, ingest_nonce)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (request_id) DO NOTHING`,
    )
    .bind(event.requestId, event.tenantId, event.feature ?? "", event.model ?? "", event.tier ?? "", reason, JSON.stringify(checks), hardFailure(checks) ? 1 : 0, event.completedAt, now, nonce);
}

const UPSERT_TAIL = `ON CONFLICT (tenant_id, hour, feature, model, tier) DO UPDATE SET
  eligible = eligible + excluded.eligible, judged = judged + excluded.judged, escalated = escalated + excluded.escalated,
  escalations_skipped = escalations_skipped + excluded.escalations_skipped, checks_only = checks_only + excluded.checks_only,
  checks_failed = checks_failed + excluded.checks_failed, errors = errors + excluded.errors`;

const COLUMNS = "(tenant_id, hour, feature, model, tier, eligible, judged, escalated, escalations_skipped, checks_only, checks_failed, errors)";

/** At most this many request ids per statement (D1 binds 100 parameters; one is the nonce). */
export const COVERAGE_IDS_PER_STATEMENT = 90;

/** One statement per chunk of ids; `marks` are the chunk's placeholders, numbered from `first`. */
function perChunk(ids: readonly string[], first: number, build: (chunk: string[], marks: string) => D1PreparedStatement[]): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (let i = 0; i < ids.length; i += COVERAGE_IDS_PER_STATEMENT) {
    const chunk = ids.slice(i, i + COVERAGE_IDS_PER_STATEMENT);
    out.push(...build(chunk, chunk.map((_, k) => `?${k + first}`).join(", ")));
  }
  return out;
}

/**
 * Coverage for the evaluations and fallbacks this delivery wrote (nonce), for these request
 * ids: one grouped upsert per table. Run in the same D1 batch as the rows themselves.
 */
export function coverageStatements(db: D1Database, requestIds: readonly string[], nonce: string): D1PreparedStatement[] {
  return perChunk(requestIds, 2, (ids, marks) => [
    db
      .prepare(
        `INSERT INTO judge_coverage_hourly ${COLUMNS}
         SELECT tenant_id, (completed_at / ${HOUR}) * ${HOUR} AS h, feature, model, tier, COUNT(*), SUM(status = 'ok'),
           SUM(COALESCE(escalation_state, '') = 'done'), SUM(COALESCE(escalation_state, '') = 'skipped'), 0, 0, SUM(status = 'error')
         FROM evaluations WHERE ingest_nonce = ?1 AND request_id IN (${marks})
         GROUP BY tenant_id, h, feature, model, tier
         ${UPSERT_TAIL}`,
      )
      .bind(nonce, ...ids),
    db
      .prepare(
        `INSERT INTO judge_coverage_hourly ${COLUMNS}
         SELECT tenant_id, (completed_at / ${HOUR}) * ${HOUR} AS h, feature, model, tier, COUNT(*), 0, 0, 0, COUNT(*), SUM(hard_failure), 0
         FROM judge_fallbacks WHERE ingest_nonce = ?1 AND request_id IN (${marks})
         GROUP BY tenant_id, h, feature, model, tier
         ${UPSERT_TAIL}`,
      )
      .bind(nonce, ...ids),
  ]);
}

/**
 * An escalation that this delivery moved out of 'pending' (nonce): adds escalated (or the
 * error) to the coverage. Nothing else changes: the answer was counted as judged already.
 */
export function escalationCoverageStatement(db: D1Database, requestId: string, nonce: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO judge_coverage_hourly ${COLUMNS}
       SELECT tenant_id, (completed_at / ${HOUR}) * ${HOUR}, feature, model, tier, 0, 0, escalation_state = 'done', 0, 0, 0, escalation_state = 'error'
       FROM evaluations WHERE request_id = ?1 AND ingest_nonce = ?2
       ${UPSERT_TAIL}`,
    )
    .bind(requestId, nonce);
}

export type PriorOutcome = { kind: "evaluation"; escalationState: EscalationState | null; reasons: EscalationReason[] } | { kind: "fallback" };

const reasonsOf = (text: string | null): EscalationReason[] =>
  (text ?? "").split(",").filter((r): r is EscalationReason => (ESCALATION_REASONS as readonly string[]).includes(r));

/**
 * What is already recorded for these requests: one read per 90 ids. An evaluation sampled out
 * to R2 (evaluation-sampling.ts) is known by its judges' ledger rows (`<id>#judge:<name>`),
 * written in its transaction; a row in D1 wins over them (it carries the escalation state).
 */
export async function priorOutcomes(db: D1Database, requestIds: readonly string[]): Promise<Map<string, PriorOutcome>> {
  const found = new Map<string, PriorOutcome>();
  const statements = perChunk([...new Set(requestIds)], 1, (chunk, marks) => [
    db
      .prepare(
        `SELECT request_id, 'evaluation' AS kind, escalation_state, escalation FROM evaluations WHERE request_id IN (${marks})
         UNION ALL SELECT request_id, 'fallback' AS kind, NULL, NULL FROM judge_fallbacks WHERE request_id IN (${marks})
         UNION ALL SELECT DISTINCT parent_request_id, 'judged' AS kind, NULL, NULL FROM usage_ledger
           WHERE parent_request_id IN (${marks}) AND kind = 'judge' AND instr(request_id, '#judge:') > 0`,
      )
      .bind(...chunk),
  ]);
  if (statements.length === 0) return found;
  const results = statements.length === 1 ? [await (statements[0] as D1PreparedStatement).all()] : await db.batch(statements);
  for (const row of results.flatMap((r) => r.results) as { request_id: string; kind: string; escalation_state: EscalationState | null; escalation: string | null }[]) {
    if (row.kind === "judged" && found.has(row.request_id)) continue;
    found.set(row.request_id, row.kind === "fallback" ? { kind: "fallback" } : { kind: "evaluation", escalationState: row.escalation_state, reasons: reasonsOf(row.escalation) });
  }
  return found;
}
