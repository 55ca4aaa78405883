/**
 * Writes to the semantic cache's calibration counts (migration 0055), shared by the evaluator
 * (judge verdicts on served hits and shadow checks) and the gateway (client reports). The
 * increment is gated on the verdict's own row not existing yet and must run in the same D1
 * batch before that row's INSERT: a redelivered event or a repeated report then counts once.
 */
export interface CalibrationKey {
  tenantId: string;
  /** '' when the request had no feature. */
  feature: string;
  /** Embedder id + lexical weight: the scale of the hit score. */
  scorerId: string;
}

/** The verdict's own row, whose absence gates the increment. */
export interface VerdictRow {
  table: "cache_audits" | "cache_shadow_checks" | "cache_feedback";
  requestId: string;
}

const NOT_YET: Record<VerdictRow["table"], string> = {
  cache_audits: "NOT EXISTS (SELECT 1 FROM cache_audits WHERE request_id = ?7)",
  cache_shadow_checks: "NOT EXISTS (SELECT 1 FROM cache_shadow_checks WHERE request_id = ?7)",
  cache_feedback: "NOT EXISTS (SELECT 1 FROM cache_feedback WHERE tenant_id = ?1 AND request_id = ?7)",
};

/** +1 check (and +1 wrong when `wrong`) in one band, unless `row` already exists. */
export function calibrationIncrement(db: D1Database, key: CalibrationKey, bandKey: number, wrong: boolean, row: VerdictRow, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO cache_calibration (tenant_id, feature, scorer_id, band_key, checks, wrong, updated_at)
       SELECT ?1, ?2, ?3, ?4, 1, ?5, ?6 WHERE ${NOT_YET[row.table]}
       ON CONFLICT (tenant_id, feature, scorer_id, band_key) DO UPDATE SET checks = checks + 1, wrong = wrong + excluded.wrong, updated_at = excluded.updated_at`,
    )
    .bind(key.tenantId, key.feature, key.scorerId, bandKey, wrong ? 1 : 0, now, row.requestId);
}
