/**
 * The alert metrics that ROLLUP_DEDUP=message reads from the per-minute counters
 * (usage_counters_minutely, ledger/minute-counters.ts) instead of scanning client ledger rows,
 * which LEDGER_SAMPLING leaves out of D1. Windows are whole minutes (a rule's window is aligned to
 * its length in minutes), so the counters cover exactly the ledger's rows of [from, to):
 * - spend_usd: the consumer's events from the counters plus the judge calls' ledger rows (written
 *   by judging, always kept in D1: not a client row). Exact, as the ledger's sum.
 * - error_rate: exact (client requests and their errors are counted per minute).
 * - latency_p95: from the summed histogram (Prometheus-style interpolation), an estimate inside the
 *   bucket of the ledger's nearest-rank p95, i.e. within 25% of it.
 */
import { z } from "zod";
import { quantile } from "../../../../shared/latency-histogram";

const RANGE = "tenant_id = ?1 AND minute >= ?2 AND minute < ?3";

const Spend = z.object({ v: z.number().nullable() });
const Rate = z.object({ v: z.number().nullable() });
const Bucket = z.object({ bucket: z.coerce.number().int(), n: z.number() });

export async function counterSpend(db: D1Database, tenantId: string, from: number, to: number): Promise<number | null> {
  const row = await db
    .prepare(
      `SELECT CASE WHEN c.n = 0 AND j.n = 0 THEN NULL ELSE COALESCE(c.s, 0) + COALESCE(j.s, 0) END AS v FROM
       (SELECT COUNT(*) AS n, SUM(cost_usd) AS s FROM usage_counters_minutely WHERE ${RANGE}) c,
       (SELECT COUNT(*) AS n, SUM(cost_usd) AS s FROM usage_ledger WHERE tenant_id = ?1 AND completed_at >= ?2 AND completed_at < ?3 AND kind = 'judge') j`,
    )
    .bind(tenantId, from, to)
    .first();
  return row ? Spend.parse(row).v : null;
}

export async function counterErrorRate(db: D1Database, tenantId: string, from: number, to: number): Promise<number | null> {
  const row = await db
    .prepare(`SELECT CASE WHEN COALESCE(SUM(requests), 0) = 0 THEN NULL ELSE SUM(errors) * 1.0 / SUM(requests) END AS v FROM usage_counters_minutely WHERE ${RANGE}`)
    .bind(tenantId, from, to)
    .first();
  return row ? Rate.parse(row).v : null;
}

/** The window's summed latency histogram of client requests: bucket -> count. */
export async function counterLatencyHistogram(db: D1Database, tenantId: string, from: number, to: number): Promise<Map<number, number>> {
  const { results } = await db
    .prepare(`SELECT h.key AS bucket, SUM(h.value) AS n FROM usage_counters_minutely, json_each(latency_hist) h WHERE ${RANGE} GROUP BY h.key`)
    .bind(tenantId, from, to)
    .all();
  return new Map(results.map((r) => Bucket.parse(r)).map((r) => [r.bucket, r.n]));
}

export async function counterLatencyP95(db: D1Database, tenantId: string, from: number, to: number): Promise<number | null> {
  return quantile(await counterLatencyHistogram(db, tenantId, from, to), 0.95)?.value ?? null;
}
