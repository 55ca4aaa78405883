/**
 * GET /v1/drift: the evaluator's drift snapshots for the caller's tenant (drift/drift-job.ts in
 * the evaluator): per period and metric (complexity, intent, judge score, cost per request),
 * PSI and KL of the window against its baseline, and whether it raised an alarm. Newest first,
 * at most 500 rows; the overview counts the alarms. Snapshots are tenant-wide (they have no
 * feature), so a key limited to some features cannot read them.
 */
import { z } from "zod";
import type { DriftReport } from "../../../../shared/schemas/drift-report";
import { DAY_MS, InstantSchema, withTimeRange } from "../http/time-range";

export const DriftQuerySchema = withTimeRange(
  z
    .object({
      from: InstantSchema.optional(),
      to: InstantSchema.optional(),
      period: z.enum(["hour", "day"]).optional(),
      /** Only the windows that raised an alarm. */
      alarms: z.enum(["true", "false"]).optional().transform((v) => v === "true"),
    })
    .strict(),
  7 * DAY_MS,
  90 * DAY_MS,
);
export type DriftQuery = z.output<typeof DriftQuerySchema>;

const RowSchema = z.object({
  period: z.string(),
  window_start: z.number(),
  metric: z.string(),
  psi: z.number(),
  kl: z.number(),
  current_n: z.number(),
  baseline_n: z.number(),
  baseline_from: z.number(),
  baseline_to: z.number(),
  alert: z.number(),
  computed_at: z.number(),
});

const MAX_ROWS = 500;
const iso = (ms: number): string => new Date(ms).toISOString();

export async function driftReport(db: D1Database, tenantId: string, q: DriftQuery): Promise<DriftReport> {
  const where = `tenant_id = ?1 AND window_start >= ?2 AND window_start < ?3${q.period ? " AND period = ?4" : ""}`;
  const binds = [tenantId, q.from, q.to, ...(q.period ? [q.period] : [])];
  const [rows, count] = await db.batch([
    db.prepare(`SELECT * FROM drift_snapshots WHERE ${where}${q.alarms ? " AND alert = 1" : ""} ORDER BY window_start DESC, metric LIMIT ${MAX_ROWS}`).bind(...binds),
    db.prepare(`SELECT COUNT(*) AS n FROM drift_snapshots WHERE ${where} AND alert = 1`).bind(...binds),
  ]);
  const data = z.array(RowSchema).parse(rows?.results ?? []).map((r) => ({
    period: r.period,
    windowStart: iso(r.window_start),
    metric: r.metric,
    psi: r.psi,
    kl: r.kl,
    currentN: r.current_n,
    baselineN: r.baseline_n,
    baselineFrom: iso(r.baseline_from),
    baselineTo: iso(r.baseline_to),
    alarm: r.alert === 1,
    computedAt: iso(r.computed_at),
  }));
  const alarms = z.object({ n: z.number() }).parse(count?.results[0] ?? { n: 0 }).n;
  return { object: "list", tenantId, from: iso(q.from), to: iso(q.to), alarms, data };
}
