/**
 * The drift cron: for each tenant active in the window just closed, compare it with the
 * baseline (the 7 days before it) and store one snapshot per metric. Hourly every hour,
 * daily in the first hour of the UTC day. A snapshot above the PSI threshold is marked
 * alert=1 and picked up by drift_psi alert rules.
 */
import { z } from "zod";
import { driftReport, type DriftResult, type Samples } from "./stats";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BASELINE = 7 * DAY;
const MAX_ROWS = 50_000;

export interface DriftWindow {
  period: "hour" | "day";
  from: number;
  to: number;
}

export function windowsFor(scheduledTime: number): DriftWindow[] {
  const hourEnd = Math.floor(scheduledTime / HOUR) * HOUR;
  const out: DriftWindow[] = [{ period: "hour", from: hourEnd - HOUR, to: hourEnd }];
  if (hourEnd % DAY === 0) out.push({ period: "day", from: hourEnd - DAY, to: hourEnd });
  return out;
}

const LedgerSample = z.object({ route_complexity: z.number().nullable(), route_intent: z.string().nullable(), cost_usd: z.number() });

/**
 * A window's rows, the most recent MAX_ROWS when it has more (not the oldest, as an unordered
 * LIMIT would take). Client requests only: an escalated cascade draft is neither a request's
 * cost nor a served answer's score.
 */
export async function loadSamples(db: D1Database, tenantId: string, from: number, to: number): Promise<Samples> {
  const [ledger, evals] = await db.batch([
    db
      .prepare(`SELECT route_complexity, route_intent, cost_usd FROM usage_ledger WHERE tenant_id = ?1 AND kind = 'request' AND parent_request_id IS NULL AND completed_at >= ?2 AND completed_at < ?3 ORDER BY completed_at DESC LIMIT ${MAX_ROWS}`)
      .bind(tenantId, from, to),
    db.prepare(`SELECT score_mean FROM evaluations WHERE tenant_id = ?1 AND status = 'ok' AND substr(request_id, -6) != ':draft' AND substr(request_id, -7) != ':shadow' AND sampled = 1 AND completed_at >= ?2 AND completed_at < ?3 ORDER BY completed_at DESC LIMIT ${MAX_ROWS}`).bind(tenantId, from, to),
  ]);
  const rows = z.array(LedgerSample).parse(ledger?.results ?? []);
  const scores = z.array(z.object({ score_mean: z.number() })).parse(evals?.results ?? []);
  return {
    complexity: rows.flatMap((r) => (r.route_complexity === null ? [] : [r.route_complexity])),
    intent: rows.flatMap((r) => (r.route_intent === null ? [] : [r.route_intent])),
    judgeScore: scores.map((s) => s.score_mean),
    costPerRequest: rows.map((r) => r.cost_usd),
  };
}

export async function tenantDrift(db: D1Database, tenantId: string, w: DriftWindow, threshold: number, now: number): Promise<DriftResult[]> {
  const [baseline, current] = await Promise.all([loadSamples(db, tenantId, w.from - BASELINE, w.from), loadSamples(db, tenantId, w.from, w.to)]);
  const results = driftReport(baseline, current);
  if (results.length === 0) return results;
  await db.batch(
    results.map((r) =>
      db
        .prepare(
          `INSERT INTO drift_snapshots (tenant_id, period, window_start, metric, psi, kl, current_n, baseline_n, baseline_from, baseline_to, alert, computed_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
           ON CONFLICT (tenant_id, period, window_start, metric) DO UPDATE SET psi = excluded.psi, kl = excluded.kl,
             current_n = excluded.current_n, baseline_n = excluded.baseline_n, alert = excluded.alert, computed_at = excluded.computed_at`,
        )
        .bind(tenantId, w.period, w.from, r.metric, r.psi, r.kl, r.currentN, r.baselineN, w.from - BASELINE, w.from, r.psi > threshold ? 1 : 0, now),
    ),
  );
  return results;
}

/** Cross-tenant by design (a cron): which tenants had traffic in the window. */
export async function runDrift(db: D1Database, scheduledTime: number, threshold: number, now = Date.now()): Promise<number> {
  let snapshots = 0;
  for (const w of windowsFor(scheduledTime)) {
    // From the hourly rollups (index on hour, migration 0051), not a scan of the ledger.
    const { results } = await db
      .prepare("SELECT DISTINCT tenant_id FROM usage_rollups_hourly WHERE hour >= ?1 AND hour < ?2 AND kind = 'request' LIMIT 10000")
      .bind(w.from, w.to)
      .all();
    for (const { tenant_id } of z.array(z.object({ tenant_id: z.string() })).parse(results)) {
      snapshots += (await tenantDrift(db, tenant_id, w, threshold, now)).length;
    }
  }
  return snapshots;
}
