/**
 * How long per-request rows stay in D1 before the evaluator's cron archives them to R2 and
 * deletes them (docs/evaluator.md, "Storage: retention and the R2 archive"). Hourly rollups are
 * never archived. Per tenant: the `retention` section of the tenant-wide settings row
 * (PUT /admin/v1/tenants/{id}/settings), each field over the deployment's defaults
 * (`RETENTION_DEFAULTS` on the evaluator).
 */
import { z } from "zod";

const days = z.number().int().min(1).max(3650);

export const RetentionSchema = z
  .object({
    /** usage_ledger: requests and judge calls (the raw events). */
    ledgerDays: days.default(30),
    /** request_traces: stages, attempts, decisions and the sealed exchange. */
    tracesDays: days.default(14),
    /**
     * Verdicts: evaluations, judge_fallbacks (checks only), cache_audits, cache_shadow_checks, and
     * cache_feedback (client reports; kept at least tracesDays, shared/archive/layout.ts).
     */
    evaluationsDays: days.default(30),
  })
  .strict();
export type Retention = z.infer<typeof RetentionSchema>;

/** What a settings row may hold: any subset (no defaults filled in), merged over the defaults. */
export const RetentionInputSchema = z.object({ ledgerDays: days.optional(), tracesDays: days.optional(), evaluationsDays: days.optional() }).strict();
export type RetentionInput = z.infer<typeof RetentionInputSchema>;

export const DEFAULT_RETENTION: Retention = RetentionSchema.parse({});
