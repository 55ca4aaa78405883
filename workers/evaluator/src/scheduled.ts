/**
 * Cron dispatch (crons in wrangler.toml): "*\/5 * * * *" evaluates alert rules; "7 * * * *"
 * computes drift for the hour just closed (and the day, in the first hour of the UTC day),
 * then the router's complexity histograms and the quality-target traffic it publishes to KV
 * (router-traffic/), then evaluates alerts so a drift_psi rule sees the new snapshots at once. Every run also
 * anchors the gateway's audit-log head in KV: the gateway anchors only after admin writes, so
 * rows appended by other paths (cache purges, guardrail blocks) would otherwise stay unanchored
 * until the next admin write. Last, every run archives a bounded share of the rows past
 * retention to R2 (archive/), and forgets the consumed packs (ledger/pack-rollups.ts) no
 * delivery can bring back.
 */
import { anchorAuditHead } from "../../../shared/audit/anchor";
import { useAuditChainKey } from "../../../shared/audit/chain-key";
import { runAlerts } from "./alerts/evaluate-alerts";
import { archiveStep, horizonMsFromEnv } from "./archive/archive-step";
import { runDrift } from "./drift/drift-job";
import { pruneConsumedMessages } from "./ledger/pack-rollups";
import { MINUTE_COUNTERS_DAYS, pruneMinuteCounters } from "./ledger/minute-counters";
import { intVar, type EvaluatorEnv } from "./env";
import { runRolloutChecks } from "./rollout/rollout-job";
import { runTrafficJob } from "./router-traffic/traffic-job";
import { ledgerSamplingFromEnv } from "./deps-from-env";
import { samplingRate } from "./judge/config";

export const ALERTS_CRON = "*/5 * * * *";
export const DRIFT_CRON = "7 * * * *";

export class AnchorError extends Error {}

/**
 * Anchors the head (the anchored seq, null when the log is empty). Without the binding it
 * reports that instead of failing: a deployment without KEYS_KV keeps its alerts and drift.
 */
export async function runAnchor(env: EvaluatorEnv, now: number): Promise<{ anchoredSeq: number | null; error?: string }> {
  if (!env.KEYS_KV) return { anchoredSeq: null, error: "no KEYS_KV binding" };
  try {
    const anchor = await anchorAuditHead(env.DB, env.KEYS_KV, now);
    return { anchoredSeq: anchor?.seq ?? null };
  } catch (err) {
    return { anchoredSeq: null, error: String(err).slice(0, 300) };
  }
}

export async function runScheduled(cron: string, scheduledTime: number, env: EvaluatorEnv): Promise<void> {
  // The rollout check appends audit rows and the anchor verifies links: both need the chain key.
  useAuditChainKey(env.DB, env);
  // A failed anchor must not cost the alert run: it is reported after drift and alerts ran.
  const anchor = await runAnchor(env, scheduledTime);
  console.log(JSON.stringify({ msg: "audit head anchor", cron, ...anchor }));
  if (cron === DRIFT_CRON) {
    const threshold = Number(env.DRIFT_PSI_THRESHOLD ?? "0.2");
    const snapshots = await runDrift(env.DB, scheduledTime, Number.isFinite(threshold) ? threshold : 0.2);
    console.log(JSON.stringify({ msg: "drift computed", snapshots }));
    await routerTraffic(env, scheduledTime);
  }
  if (cron === ALERTS_CRON) await rolloutChecks(env, scheduledTime);
  const alerts = await runAlerts(env.DB, env, scheduledTime);
  console.log(JSON.stringify({ msg: "alerts evaluated", cron, ...alerts }));
  // After the jobs that read recent rows; bounded per run, so every cron moves a share.
  const archive = await archiveStep(env, scheduledTime);
  console[archive.ok ? "log" : "error"](JSON.stringify({ msg: "archive to R2", cron, ...archive }));
  await pruneConsumed(env, scheduledTime);
  if (anchor.error && env.KEYS_KV) throw new AnchorError(`audit head not anchored: ${anchor.error}`);
}

/**
 * Logged, not thrown: rows left now are deleted by a later run (a stale consumed row only blocks a
 * pack nobody sends; a stale minute counter is read by no alert window).
 */
async function pruneConsumed(env: EvaluatorEnv, now: number): Promise<void> {
  try {
    const deleted = await pruneConsumedMessages(env.DB, now - horizonMsFromEnv(env));
    const minutes = await pruneMinuteCounters(env.DB, now - MINUTE_COUNTERS_DAYS * 86_400_000);
    console.log(JSON.stringify({ msg: "consumed packs pruned", deleted, minutes }));
  } catch (err) {
    console.error(JSON.stringify({ msg: "consumed packs prune failed", error: err instanceof Error ? err.message : String(err) }));
  }
}

/** Logged, not thrown: gateways keep the last published band (or the static one) meanwhile. */
async function routerTraffic(env: EvaluatorEnv, now: number): Promise<void> {
  try {
    const windowHours = intVar(env.ROUTER_TRAFFIC_WINDOW_HOURS, 24, 1, 24 * 14);
    const { ledgerSampling } = ledgerSamplingFromEnv(env);
    const ledgerRate = ledgerSampling ? (tenantId: string, feature: string | null) => samplingRate(ledgerSampling, tenantId, feature) : undefined;
    const result = await runTrafficJob(env.DB, env.KEYS_KV, now, { windowHours, ...(ledgerRate ? { ledgerRate } : {}) });
    console.log(JSON.stringify({ msg: "router traffic published", ...result }));
  } catch (err) {
    console.error(JSON.stringify({ msg: "router traffic job failed", error: err instanceof Error ? err.message : String(err) }));
  }
}

/** Logged, not thrown: a failing rollout check must not stop the alert evaluation after it. */
async function rolloutChecks(env: EvaluatorEnv, now: number): Promise<void> {
  try {
    const hours = intVar(env.ROLLOUT_WINDOW_HOURS, 24, 1, 24 * 14);
    const rollouts = await runRolloutChecks(env.DB, now, hours * 3_600_000);
    console.log(JSON.stringify({ msg: "router rollouts checked", ...rollouts }));
  } catch (err) {
    console.error(JSON.stringify({ msg: "router rollout check failed", error: err instanceof Error ? err.message : String(err) }));
  }
}
