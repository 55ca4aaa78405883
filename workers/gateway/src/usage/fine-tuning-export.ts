/**
 * GET /admin/v1/datasets/fine-tuning: supervised fine-tuning data for the small tier, in
 * OpenAI's chat format (shared/schemas/fine-tuning-example.ts), streamed page by page.
 *
 * Two sources of examples, one stream ordered by time:
 *   - "pair": a small-tier answer the judges scored low (< `threshold`) for which a better answer
 *     to the same messages exists: the cascade escalated the draft (`<id>:draft`, published by
 *     the gateway) and the answer served instead (`<id>`) was judged >= `teacherMinScore` and
 *     above the draft. Needs cascade and JUDGE_DRAFTS on.
 *   - "teacher": an answer served by a non-small tier (the frontier) and judged >=
 *     `teacherMinScore`, for tenants that opted in (`datasets.fineTuningTeachers`). With the
 *     judges scoring every answer by default, this is what a default deployment learns from:
 *     the small model is trained on the answers the frontier gave to the tenant's own traffic.
 *     A request whose cascade draft was judged is left to the pair source; a frontier shadow
 *     (`<id>:shadow`, answered in the background for the labelled band) was served to nobody and
 *     is never one.
 *
 * Text is the gateway-redacted exchange, decrypted only inside this stream, then redacted once
 * more (export-redaction.ts): placeholders, never raw PII.
 */
import { z } from "zod";
import { decryptText, type Keyring } from "../../../../shared/crypto/envelope";
import { FineTuningExampleSchema, type FineTuningExample, type FineTuningMessage } from "../../../../shared/schemas/fine-tuning-example";
import { teacherOptInSql } from "./dataset-settings";
import { redactForExport } from "./export-redaction";
import { pagedNdjson } from "./paged-ndjson";

const DRAFT_SUFFIX = ":draft";
/** A shadow call's answer (chat/shadow-tier.ts): made for router labels and served to nobody, so never a teacher. */
const SHADOW_SUFFIX = ":shadow";
// A query string's "true"/"1", or a boolean when the parsed query is handed on (parsed twice).
const booleanParam = z.union([z.boolean(), z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")]);

export const FineTuningQuerySchema = z.object({
  since: z.union([z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)), z.coerce.number().int().nonnegative()]),
  tenantId: z.string().min(1).optional(),
  /** Small-tier answers scored below this are the ones to improve. */
  threshold: z.coerce.number().min(1).max(5).default(4),
  /** The better answer must score at least this (and above the small one). */
  teacherMinScore: z.coerce.number().min(1).max(5).default(4),
  limit: z.coerce.number().int().positive().max(1_000_000).default(100_000),
  /** Include "teacher" examples (well-judged frontier answers of opted-in tenants); false = cascade pairs only. */
  teachers: booleanParam.default(true),
  /** Adds `metadata` (request ids, models, scores) to each line; off keeps lines strictly OpenAI's shape. */
  meta: booleanParam.default(false),
});
export type FineTuningQuery = z.input<typeof FineTuningQuerySchema>;

export interface FineTuningOptions extends FineTuningQuery {
  keyring: Keyring;
  smallTiers?: readonly string[];
  pageSize?: number;
}

const RowSchema = z.object({
  source: z.enum(["pair", "teacher"]),
  /** The draft's id for a pair, the answer's own for a teacher: unique, the page cursor. */
  cursor_id: z.string(),
  student_id: z.string().nullable(),
  completed_at: z.number(),
  student_score: z.number().nullable(),
  student_model: z.string().nullable(),
  teacher_id: z.string(),
  teacher_score: z.number(),
  teacher_model: z.string(),
  content_envelope: z.string(),
});
export type FineTuningRow = z.infer<typeof RowSchema>;

const ContentSchema = z.object({ messages: z.array(z.object({ role: z.string(), content: z.string() })), response: z.string() });
const ROLES: Record<string, FineTuningMessage["role"]> = { system: "system", developer: "system", user: "user", assistant: "assistant" };

/**
 * The example for one pair, or null when it cannot be a clean training line: tool turns (their
 * call structure is not stored), no user turn to answer, or an empty target.
 */
export function fineTuningExample(row: FineTuningRow, contentJson: string, withMeta: boolean): FineTuningExample | null {
  let raw: unknown;
  try {
    raw = JSON.parse(contentJson);
  } catch {
    return null;
  }
  const content = ContentSchema.safeParse(raw);
  if (!content.success || content.data.response.trim() === "") return null;
  const turns = content.data.messages;
  if (turns.length === 0 || turns.at(-1)?.role !== "user" || turns.some((m) => ROLES[m.role] === undefined)) return null;
  const texts = redactForExport([...turns.map((m) => m.content), content.data.response]);
  const messages: FineTuningMessage[] = turns.map((m, i) => {
    const role = ROLES[m.role] as FineTuningMessage["role"];
    return role === "assistant" ? { role, content: texts[i] ?? "", weight: 0 } : { role, content: texts[i] ?? "" };
  });
  messages.push({ role: "assistant", content: texts.at(-1) ?? "", weight: 1 });
  const student = row.student_id !== null && row.student_model !== null && row.student_score !== null ? { student_request_id: row.student_id, student_model: row.student_model, student_score: row.student_score } : {};
  const metadata = withMeta ? { source: row.source, request_id: row.teacher_id, ...student, teacher_model: row.teacher_model, teacher_score: row.teacher_score } : undefined;
  const parsed = FineTuningExampleSchema.safeParse(metadata ? { messages, metadata } : { messages });
  return parsed.success ? parsed.data : null;
}

type Query = z.output<typeof FineTuningQuerySchema>;

async function page(db: D1Database, q: Query, small: readonly string[], after: { at: number; id: string }, size: number): Promise<FineTuningRow[]> {
  const smallList = small.map((_, i) => `?${i + 9}`).join(", ") || "''";
  const cut = DRAFT_SUFFIX.length;
  // Pairs: the teacher is found by primary key from the draft's id (`<id>:draft` -> `<id>`).
  const pairs = `SELECT 'pair' AS source, s.request_id AS cursor_id, s.request_id AS student_id, s.completed_at, s.score_mean AS student_score, s.model AS student_model,
      t.request_id AS teacher_id, t.score_mean AS teacher_score, t.model AS teacher_model, tr.content_envelope
    FROM evaluations s
    JOIN evaluations t ON t.request_id = substr(s.request_id, 1, length(s.request_id) - ${cut}) AND t.tenant_id = s.tenant_id
    JOIN request_traces tr ON tr.request_id = t.request_id AND tr.tenant_id = t.tenant_id
    WHERE s.status = 'ok' AND s.score_mean IS NOT NULL AND s.score_mean < ?5 AND s.tier IN (${smallList})
      AND substr(s.request_id, -${cut}) = '${DRAFT_SUFFIX}'
      AND (?1 IS NULL OR s.tenant_id = ?1) AND s.completed_at >= ?2
      AND (s.completed_at > ?3 OR (s.completed_at = ?3 AND s.request_id > ?4))
      AND t.status = 'ok' AND t.score_mean IS NOT NULL AND t.score_mean >= ?6 AND t.score_mean > s.score_mean
      AND tr.content_envelope IS NOT NULL`;
  const teachers = `SELECT 'teacher' AS source, t.request_id AS cursor_id, NULL AS student_id, t.completed_at, NULL AS student_score, NULL AS student_model,
      t.request_id AS teacher_id, t.score_mean AS teacher_score, t.model AS teacher_model, tr.content_envelope
    FROM evaluations t
    JOIN request_traces tr ON tr.request_id = t.request_id AND tr.tenant_id = t.tenant_id
    WHERE ?8 = 1 AND t.status = 'ok' AND t.score_mean IS NOT NULL AND t.score_mean >= ?6 AND t.tier NOT IN (${smallList})
      AND substr(t.request_id, -${cut}) <> '${DRAFT_SUFFIX}' AND substr(t.request_id, -${SHADOW_SUFFIX.length}) <> '${SHADOW_SUFFIX}'
      AND (?1 IS NULL OR t.tenant_id = ?1) AND t.completed_at >= ?2
      AND (t.completed_at > ?3 OR (t.completed_at = ?3 AND t.request_id > ?4))
      AND tr.content_envelope IS NOT NULL AND ${teacherOptInSql("t.tenant_id")}
      AND NOT EXISTS (SELECT 1 FROM evaluations d WHERE d.tenant_id = t.tenant_id AND d.request_id = t.request_id || '${DRAFT_SUFFIX}')`;
  const sql = `SELECT * FROM (${pairs} UNION ALL ${teachers}) ORDER BY completed_at, cursor_id LIMIT ?7`;
  const { results } = await db.prepare(sql).bind(q.tenantId ?? null, q.since, after.at, after.id, q.threshold, q.teacherMinScore, size, q.teachers ? 1 : 0, ...small).all();
  return z.array(RowSchema).parse(results);
}

/** NDJSON stream, one FineTuningExample per line; rows that cannot be opened or used are skipped. */
export function streamFineTuningJsonl(db: D1Database, opts: FineTuningOptions): ReadableStream<Uint8Array> {
  const q = FineTuningQuerySchema.parse(opts);
  const small = opts.smallTiers ?? ["small"];
  return pagedNdjson<FineTuningRow>({
    limit: q.limit,
    page: (after) => page(db, q, small, after, opts.pageSize ?? 200),
    cursor: (row) => ({ at: row.completed_at, id: row.cursor_id }),
    line: async (row) => {
      const text = await decryptText(row.content_envelope, opts.keyring).catch(() => null);
      return text === null ? null : fineTuningExample(row, text, q.meta);
    },
  });
}
