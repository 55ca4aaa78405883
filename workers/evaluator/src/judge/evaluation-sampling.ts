/**
 * Sampled evaluation rows (EVALUATION_SAMPLING): the storage scale path's step 3 for
 * evaluations (docs/evaluator.md, "Sampled evaluation rows"), as TRACE_SAMPLING is for traces.
 * Every answer is still judged, billed (its judges' ledger rows) and counted in
 * judge_coverage_hourly; only the evaluation row's place changes: D1 for the drawn share (the
 * same FNV-1a draw as JUDGE_SAMPLING and TRACE_SAMPLING, a cascade draft or shadow drawn with its
 * request), R2 for the rest, in the archive's layout (table evaluations, tenant, UTC day), so
 * GET /admin/v1/tenants/{id}/archive/evaluations/{day} reads both back.
 *
 * Rows that must be in D1 stay whatever the draw: a pending escalation (the strong judge updates
 * it), a verdict reached without a judge call (nothing else marks it decided). They carry
 * sampled = 0 (migration 0065), so score aggregates read an unbiased sample.
 * A row written to R2 is marked decided by its judges' ledger rows (priorOutcomes), which the
 * same D1 transaction writes; its coverage is gated on them (this delivery's nonce).
 */
import { chunkKey, dayOf } from "../../../../shared/archive/layout";
import { encodeRows } from "../../../../shared/archive/ndjson-gzip";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import type { ArchiveWriter } from "../archive/archive-job";
import { derivedParent } from "../ledger/ledger-row";
import { isSampled, SamplingSchema, type Sampling } from "./config";

/** EVALUATION_SAMPLING: the share of evaluation rows kept in D1 (default 1: all of them). */
export function parseEvaluationSampling(raw: string | undefined): Sampling {
  return SamplingSchema.parse({ default: 1, ...(raw ? (JSON.parse(raw) as object) : {}) });
}

export interface EvaluationSamplingDeps {
  evaluationSampling?: Sampling;
  /** Where evaluation rows left out of D1 go; without it, every row stays in D1. */
  evaluationArchive?: ArchiveWriter;
}

export type Placement = { inD1: true; sampled: boolean } | { inD1: false };

/** Where an evaluation row goes: `needsD1` = a pending escalation or a verdict with no judge call. */
export function evaluationPlacement(event: Pick<UsageEvent, "requestId" | "tenantId" | "feature" | "decisions">, needsD1: boolean, deps: EvaluationSamplingDeps): Placement {
  if (!deps.evaluationArchive || !deps.evaluationSampling) return { inD1: true, sampled: true };
  if (isSampled(deps.evaluationSampling, derivedParent(event.decisions) ?? event.requestId, event.tenantId, event.feature)) return { inD1: true, sampled: true };
  return needsD1 ? { inD1: true, sampled: false } : { inD1: false };
}

/** The evaluations table's columns in INSERT order (evaluation-store.ts binds a record by them). */
export const EVALUATION_COLUMNS = [
  "request_id", "tenant_id", "feature", "model", "tier", "status", "score_mean", "disagreement", "checks_json", "judges_json",
  "judge_cost_usd", "panel_version", "completed_at", "evaluated_at", "escalation", "escalation_state", "ingest_nonce", "sampled",
] as const;

/** An evaluations row as D1 stores it (column names), for R2. */
export interface EvaluationRecord {
  request_id: string;
  tenant_id: string;
  feature: string;
  model: string;
  tier: string;
  status: "ok" | "error";
  score_mean: number | null;
  disagreement: number;
  checks_json: string;
  judges_json: string;
  judge_cost_usd: number;
  panel_version: string;
  completed_at: number;
  evaluated_at: number;
  escalation: string | null;
  escalation_state: string | null;
  ingest_nonce: string;
  sampled: number;
}

/** A row for R2 and the id of a judge ledger row written with it (the gate of its coverage). */
export interface ArchivedEvaluation {
  row: EvaluationRecord;
  judgeRowId: string;
}

/**
 * Writes rows to R2, one gzip NDJSON object per tenant and day, named from its first row (a
 * retried chunk rewrites the same object). Throws when a put fails: the caller's D1 write
 * does not happen, and the message is retried.
 */
export async function archiveEvaluations(rows: readonly EvaluationRecord[], bucket: ArchiveWriter): Promise<void> {
  const groups = new Map<string, EvaluationRecord[]>();
  for (const r of rows) {
    const key = `${r.tenant_id}\u0000${dayOf(r.completed_at)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const first = group[0] as EvaluationRecord;
      await bucket.put(chunkKey("evaluations", first.tenant_id, first.completed_at, `eval-sampling/${first.request_id}`), await encodeRows(group), {
        httpMetadata: { contentType: "application/x-ndjson", contentEncoding: "gzip" },
        customMetadata: { table: "evaluations", tenantId: first.tenant_id, day: dayOf(first.completed_at), rows: String(group.length), source: "evaluation-sampling" },
      });
    }),
  );
}

const HOUR = 3_600_000;

/**
 * judge_coverage_hourly for rows written to R2: one grouped upsert, each answer counted as
 * eligible and judged only if its judge ledger row carries this delivery's nonce (a replay, whose
 * ledger insert did nothing, adds nothing). Sampled-out rows are never escalated or errors.
 */
export function archivedCoverageStatement(db: D1Database, archived: readonly ArchivedEvaluation[], nonce: string): D1PreparedStatement[] {
  if (archived.length === 0) return [];
  const items = archived.map(({ row, judgeRowId }) => ({ t: row.tenant_id, h: Math.floor(row.completed_at / HOUR) * HOUR, f: row.feature, m: row.model, r: row.tier, j: judgeRowId }));
  return [
    db
      .prepare(
        `INSERT INTO judge_coverage_hourly (tenant_id, hour, feature, model, tier, eligible, judged, escalated, escalations_skipped, checks_only, checks_failed, errors)
         SELECT json_extract(x.value, '$.t') AS t, json_extract(x.value, '$.h') AS h, json_extract(x.value, '$.f') AS f, json_extract(x.value, '$.m') AS m,
           json_extract(x.value, '$.r') AS r, COUNT(*), COUNT(*), 0, 0, 0, 0, 0
         FROM json_each(?2) AS x
         WHERE EXISTS (SELECT 1 FROM usage_ledger l WHERE l.request_id = json_extract(x.value, '$.j') AND l.ingest_nonce = ?1)
         GROUP BY t, h, f, m, r
         ON CONFLICT (tenant_id, hour, feature, model, tier) DO UPDATE SET eligible = eligible + excluded.eligible, judged = judged + excluded.judged`,
      )
      .bind(nonce, JSON.stringify(items)),
  ];
}
