/**
 * Cron step: for every tenant with a canary rollout, aggregate both arms over the window,
 * decide with the bounds from the tenant's settings and record the verdict in router_rollouts.
 * A rollback is the marker the gateway reads (within 30 s it serves control only) and gets an
 * audit row in the same D1 batch. Rolled-back rows are sticky, so a later healthy-looking
 * window (the candidate no longer serves) never revives a candidate.
 */
import { batchWithAudit } from "../../../../shared/audit/hash-chain";
import { RolloutConfigSchema, type RolloutConfig } from "../../../../shared/router-rollout/rollback";
import { armStats, verdictFor, type ArmAggregate } from "./arm-stats";

export const DEFAULT_WINDOW_MS = 24 * 3_600_000;

export interface ActiveRollout {
  tenantId: string;
  candidateVersion: string;
  bounds: RolloutConfig["bounds"];
}

/** Canary rollouts from tenant settings rows; a row whose rollout does not validate alone is skipped. */
export async function activeRollouts(db: D1Database): Promise<ActiveRollout[]> {
  const rows = await db
    .prepare("SELECT tenant_id, settings_json FROM tenant_settings WHERE json_extract(settings_json, '$.router.rollout.mode') = 'canary' ORDER BY tenant_id, feature")
    .all<{ tenant_id: string; settings_json: string }>();
  const seen = new Map<string, ActiveRollout>();
  for (const row of rows.results) {
    // The gateway validated the whole rollout (candidate overrides included) when it was written;
    // the job needs only the fields shared with it.
    const parsed = RolloutConfigSchema.safeParse((JSON.parse(row.settings_json) as { router?: { rollout?: unknown } }).router?.rollout);
    if (!parsed.success || !parsed.data.candidateVersion) continue;
    const key = `${row.tenant_id}\u0000${parsed.data.candidateVersion}`;
    if (!seen.has(key)) seen.set(key, { tenantId: row.tenant_id, candidateVersion: parsed.data.candidateVersion, bounds: parsed.data.bounds });
  }
  return [...seen.values()];
}

export type RolloutOutcome = "insufficient_data" | "healthy" | "rolled_back" | "already_rolled_back";

const UPSERT = `INSERT INTO router_rollouts (tenant_id, candidate_version, status, reasons_json, stats_json, decided_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
ON CONFLICT (tenant_id, candidate_version) DO UPDATE SET status = excluded.status, reasons_json = excluded.reasons_json,
  stats_json = excluded.stats_json, decided_at = excluded.decided_at
WHERE router_rollouts.status != 'rolled_back'`;

const statsJson = (a: ArmAggregate) => ({ version: a.version, requests: a.requests, meanCostUsd: a.meanCostUsd, judged: a.judged, meanScore: a.meanScore });

export async function checkRollout(db: D1Database, r: ActiveRollout, now: number, windowMs = DEFAULT_WINDOW_MS): Promise<RolloutOutcome> {
  const prev = await db
    .prepare("SELECT status FROM router_rollouts WHERE tenant_id = ?1 AND candidate_version = ?2")
    .bind(r.tenantId, r.candidateVersion)
    .first<{ status: string }>();
  if (prev?.status === "rolled_back") return "already_rolled_back";
  const { control, candidate } = await armStats(db, { tenantId: r.tenantId, candidateVersion: r.candidateVersion, from: now - windowMs, to: now });
  const verdict = verdictFor(control, candidate, r.bounds);
  const status = verdict.status === "rollback" ? "rolled_back" : verdict.status;
  const stats = { control: statsJson(control), candidate: statsJson(candidate), qualityDelta: verdict.qualityDelta, costDeltaRatio: verdict.costDeltaRatio };
  const upsert = db.prepare(UPSERT).bind(r.tenantId, r.candidateVersion, status, JSON.stringify(verdict.reasons), JSON.stringify(stats), now);
  if (status !== "rolled_back") {
    await upsert.run();
    return status;
  }
  await batchWithAudit(db, [upsert], r.tenantId, {
    action: "router.rollout.rolled_back",
    actor: "system",
    target: `router:${r.candidateVersion}`,
    detail: { reasons: verdict.reasons, qualityDelta: round(verdict.qualityDelta), costDeltaRatio: round(verdict.costDeltaRatio), control: statsJson(control), candidate: statsJson(candidate) },
  }, now);
  return "rolled_back";
}

const round = (x: number): number => (Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : 0);

export async function runRolloutChecks(db: D1Database, now: number, windowMs = DEFAULT_WINDOW_MS): Promise<Record<RolloutOutcome, number>> {
  const counts: Record<RolloutOutcome, number> = { insufficient_data: 0, healthy: 0, rolled_back: 0, already_rolled_back: 0 };
  for (const r of await activeRollouts(db)) counts[await checkRollout(db, r, now, windowMs)]++;
  return counts;
}
