/**
 * Where archived rows live in R2: one NDJSON object (gzip) per chunk of one table, one tenant
 * and one UTC day, so a day of a tenant is one prefix to list:
 *   archive/v1/<table>/tenant=<tenant id, URI-encoded>/day=<YYYY-MM-DD>/<first ms>-<first id hash>.ndjson.gz
 * A chunk's name comes from its first row: re-archiving the same rows (a crash between the upload
 * and the delete) writes the same object again, never a second copy.
 */
import { z } from "zod";
import type { Retention } from "../schemas/retention";
import { fnv1a } from "../hash/fnv1a";

export const DAY_MS = 86_400_000;
const ROOT = "archive/v1";

/**
 * Archived tables, in the order a run visits them: the column that places a row in a day, which
 * retention applies, and (`keepAtLeast`) a retention the table never goes below. Every table
 * has `tenant_id` and `request_id` and an index on (tenant_id, time).
 */
export interface ArchiveTableSpec {
  time: string;
  retention: keyof Retention;
  keepAtLeast?: keyof Retention;
}

export const ARCHIVE_TABLES = {
  usage_ledger: { time: "completed_at", retention: "ledgerDays" },
  request_traces: { time: "created_at", retention: "tracesDays" },
  evaluations: { time: "completed_at", retention: "evaluationsDays" },
  cache_audits: { time: "created_at", retention: "evaluationsDays" },
  /** Checks-only verdicts (the judge budget ran out): an evaluation's counterpart. */
  judge_fallbacks: { time: "completed_at", retention: "evaluationsDays" },
  /** Judged near-misses of the semantic cache: verdicts like cache_audits. */
  cache_shadow_checks: { time: "created_at", retention: "evaluationsDays" },
  /**
   * Client reports (POST /v1/feedback). Its row is what stops a repeated report from counting
   * twice, and a report needs the request's trace row: kept at least as long as traces (and
   * visited after them), a report row goes only once its trace is gone, so no report can come again.
   */
  cache_feedback: { time: "created_at", retention: "evaluationsDays", keepAtLeast: "tracesDays" },
} as const satisfies Record<string, ArchiveTableSpec>;

export type ArchiveTable = keyof typeof ARCHIVE_TABLES;
export const ArchiveTableSchema = z.enum(Object.keys(ARCHIVE_TABLES) as [ArchiveTable, ...ArchiveTable[]]);
export const ArchiveDaySchema = z.iso.date();

export const dayOf = (ms: number): string => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

export function dayPrefix(table: ArchiveTable, tenantId: string, day: string): string {
  return `${ROOT}/${table}/tenant=${encodeURIComponent(tenantId)}/day=${day}/`;
}

/** FNV-1a of the first row's id: keeps names short and safe whatever the id holds. */
const fnv1aHex = (s: string): string => fnv1a(s).toString(16).padStart(8, "0");

export function chunkKey(table: ArchiveTable, tenantId: string, firstMs: number, firstId: string): string {
  return `${dayPrefix(table, tenantId, dayOf(firstMs))}${String(firstMs).padStart(13, "0")}-${fnv1aHex(firstId)}.ndjson.gz`;
}
