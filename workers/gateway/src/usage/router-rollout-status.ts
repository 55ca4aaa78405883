/**
 * GET /v1/router/rollout: the tenant's configured rollout, the mode actually in force (a
 * rolled-back canary only shadows) and the evaluator's verdicts per candidate version.
 */
import { z } from "zod";
import { effectiveRollout } from "../router/rollout/candidate";
import type { RouterRollout } from "../router/settings";
import { settingsFor } from "../settings/settings-store";

const VerdictRowSchema = z.object({
  candidate_version: z.string(),
  status: z.enum(["insufficient_data", "healthy", "rolled_back"]),
  reasons_json: z.string(),
  stats_json: z.string(),
  decided_at: z.number(),
});

export interface RolloutVerdict {
  candidateVersion: string;
  status: "insufficient_data" | "healthy" | "rolled_back";
  reasons: string[];
  stats: unknown;
  decidedAt: string;
}

export interface RouterRolloutStatus {
  configured: RouterRollout;
  /** What the gateway does now: "canary" becomes "shadow" once that version is rolled back. */
  effectiveMode: RouterRollout["mode"];
  verdicts: RolloutVerdict[];
}

const parseJson = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
};

export async function rolloutVerdicts(db: D1Database, tenantId: string): Promise<RolloutVerdict[]> {
  const rows = await db
    .prepare("SELECT candidate_version, status, reasons_json, stats_json, decided_at FROM router_rollouts WHERE tenant_id = ?1 ORDER BY decided_at DESC LIMIT 50")
    .bind(tenantId)
    .all();
  return rows.results.map((raw) => {
    const r = VerdictRowSchema.parse(raw);
    const reasons = z.array(z.string()).safeParse(parseJson(r.reasons_json));
    return { candidateVersion: r.candidate_version, status: r.status, reasons: reasons.success ? reasons.data : [], stats: parseJson(r.stats_json), decidedAt: new Date(r.decided_at).toISOString() };
  });
}

/** Tenant-wide settings (feature rows may differ; the trace of a request shows what it got). */
export async function routerRolloutStatus(db: D1Database, tenantId: string): Promise<RouterRolloutStatus> {
  const [settings, verdicts] = await Promise.all([settingsFor(db, tenantId, null), rolloutVerdicts(db, tenantId)]);
  const configured = settings.router.rollout;
  const rolledBack = new Set(verdicts.filter((v) => v.status === "rolled_back").map((v) => v.candidateVersion));
  return { configured, effectiveMode: effectiveRollout(configured, rolledBack).mode, verdicts };
}
