/**
 * GET /admin/v1/datasets/retraining: judged production exchanges as router training lines
 * (shared/schemas/router-training-example.ts, source "feedback"), streamed page by page.
 *   - every judged small-tier answer: small_ok = panel score >= threshold (the label the
 *     router most needs: was the cheap tier good enough?);
 *   - every judged shadow small-tier answer (`<id>:shadow` on a small tier, the gateway's chat/shadow-tier.ts:
 *     the small tier asked in the background for a prompt the frontier served): small_ok when
 *     it scored >= min(threshold, the served answer's score), i.e. it passed, or it did as well
 *     as the frontier on a prompt the frontier failed too; features from the served request's
 *     route (complexity, intent). A served answer that was a tool call, empty or cut off
 *     (shared/router-traffic/real-answer-sql.ts) is no comparison: then small_ok = it passed;
 *   - every low-scoring answer on other tiers, weighted up, labelled with the route's
 *     complexity/intent when known. A frontier shadow (`<id>:shadow` of a small-served request,
 *     made for the labelled band's pairs) is not an example of its own: nobody was served it.
 * Text is the gateway-redacted exchange (placeholders, never raw PII), decrypted from the
 * envelope only inside this stream.
 */
import { z } from "zod";
import { decryptText, type Keyring } from "../../../../shared/crypto/envelope";
import { judgedOnRealText } from "../../../../shared/router-traffic/real-answer-sql";
import { IntentSchema, RouterTrainingExampleSchema, type RouterTrainingExample } from "../../../../shared/schemas/router-training-example";
import { pagedNdjson } from "./paged-ndjson";

/** The id suffix of a shadow call, either direction (chat/shadow-tier.ts). */
const SHADOW_SUFFIX = ":shadow";

export const RetrainingQuerySchema = z.object({
  since: z.union([z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)), z.coerce.number().int().nonnegative()]),
  tenantId: z.string().min(1).optional(),
  threshold: z.coerce.number().min(1).max(5).default(4),
  limit: z.coerce.number().int().positive().max(1_000_000).default(100_000),
});
export type RetrainingQuery = z.input<typeof RetrainingQuerySchema>;

export interface RetrainingOptions extends RetrainingQuery {
  keyring: Keyring;
  smallTiers?: readonly string[];
  pageSize?: number;
}

const RowSchema = z.object({
  request_id: z.string(),
  completed_at: z.number(),
  score_mean: z.number(),
  tier: z.string(),
  route_complexity: z.number().nullable(),
  route_intent: z.string().nullable(),
  content_envelope: z.string(),
  /** For a shadow: the served answer's judged score (null when it was not judged, or not on real text). */
  served_score: z.number().nullable(),
  shadow: z.number(),
});
type Row = z.infer<typeof RowSchema>;

const ContentSchema = z.object({ messages: z.array(z.object({ role: z.string(), content: z.string() })), response: z.string() });

export function exampleFromRow(row: Row, text: string, threshold: number, smallTiers: readonly string[]): RouterTrainingExample | null {
  const content = ContentSchema.safeParse(JSON.parse(text));
  if (!content.success) return null;
  const msgs = content.data.messages;
  const lastUser = msgs.map((m) => m.role).lastIndexOf("user");
  const prompt = msgs[lastUser]?.content ?? "";
  if (lastUser < 0 || prompt.trim() === "") return null;
  const context = msgs.slice(0, lastUser).map((m) => `${m.role}: ${m.content}`).join("\n");
  const intent = IntentSchema.safeParse(row.route_intent);
  const isSmall = smallTiers.includes(row.tier);
  const candidate = {
    prompt: prompt.slice(0, 100_000),
    ...(context ? { context: context.slice(0, 200_000) } : {}),
    ...(intent.success ? { intent: intent.data } : {}),
    ...(row.route_complexity !== null ? { complexity: row.route_complexity } : {}),
    ...(isSmall ? { small_ok: row.score_mean >= (row.shadow ? Math.min(threshold, row.served_score ?? threshold) : threshold), small_ok_source: row.shadow ? ("shadow" as const) : ("served" as const) } : {}),
    source: "feedback" as const,
    request_id: row.request_id,
    ...(row.score_mean < threshold ? { weight: 2 } : {}),
  };
  const parsed = RouterTrainingExampleSchema.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

async function page(db: D1Database, q: z.output<typeof RetrainingQuerySchema>, small: readonly string[], after: { at: number; id: string }, size: number): Promise<Row[]> {
  const smallList = small.map((_, i) => `?${i + 7}`).join(", ") || "''";
  // A shadow's features and comparison come from the request it shadowed (its parent row). What is
  // a shadow is read from its id, not from that row: a shadow whose parent row is missing (ledger
  // sampling, a lost event) is still a shadow, and a frontier one still no example.
  const sql = `SELECT e.request_id, e.completed_at, e.score_mean, e.tier, t.content_envelope,
      COALESCE(l.route_complexity, p.route_complexity) AS route_complexity, COALESCE(l.route_intent, p.route_intent) AS route_intent,
      CASE WHEN ${judgedOnRealText("s", "st")} THEN s.score_mean END AS served_score, (substr(e.request_id, -7) = '${SHADOW_SUFFIX}') AS shadow
    FROM evaluations e
    JOIN usage_ledger l ON l.tenant_id = e.tenant_id AND l.request_id = e.request_id
    JOIN request_traces t ON t.tenant_id = e.tenant_id AND t.request_id = e.request_id
    LEFT JOIN usage_ledger p ON substr(e.request_id, -7) = '${SHADOW_SUFFIX}' AND p.tenant_id = l.tenant_id AND p.request_id = l.parent_request_id
    LEFT JOIN evaluations s ON s.tenant_id = p.tenant_id AND s.request_id = p.request_id AND s.status = 'ok'
    LEFT JOIN request_traces st ON st.tenant_id = s.tenant_id AND st.request_id = s.request_id
    WHERE e.status = 'ok' AND e.score_mean IS NOT NULL AND e.sampled = 1 AND t.content_envelope IS NOT NULL
      AND (?1 IS NULL OR e.tenant_id = ?1) AND e.completed_at >= ?2
      AND (e.completed_at > ?3 OR (e.completed_at = ?3 AND e.request_id > ?4))
      AND (e.tier IN (${smallList}) OR (e.score_mean < ?5 AND substr(e.request_id, -7) <> '${SHADOW_SUFFIX}'))
    ORDER BY e.completed_at, e.request_id LIMIT ?6`;
  const { results } = await db.prepare(sql).bind(q.tenantId ?? null, q.since, after.at, after.id, q.threshold, size, ...small).all();
  return z.array(RowSchema).parse(results);
}

/** NDJSON stream, one RouterTrainingExample per line; rows that cannot be opened are skipped. */
export function streamRetrainingJsonl(db: D1Database, opts: RetrainingOptions): ReadableStream<Uint8Array> {
  const q = RetrainingQuerySchema.parse(opts);
  const small = opts.smallTiers ?? ["small"];
  return pagedNdjson<Row>({
    limit: q.limit,
    page: (after) => page(db, q, small, after, opts.pageSize ?? 200),
    cursor: (row) => ({ at: row.completed_at, id: row.request_id }),
    line: async (row) => {
      const text = await decryptText(row.content_envelope, opts.keyring).catch(() => null);
      return text === null ? null : exampleFromRow(row, text, q.threshold, small);
    },
  });
}
