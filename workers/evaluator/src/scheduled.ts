/**
 * Cron dispatch (crons in wrangler.toml): "*\/5 * * * *" evaluates alert rules; "7 * * * *"
 * computes drift for the hour just closed (and the day, in the first hour of the UTC day),
 * then evaluates alerts so a drift_psi rule sees the new snapshots at once.
 */
import { runAlerts } from "./alerts/evaluate-alerts";
import { runDrift } from "./drift/drift-job";
import type { EvaluatorEnv } from "./env";

export const ALERTS_CRON = "*/5 * * * *";
export const DRIFT_CRON = "7 * * * *";

export async function runScheduled(cron: string, scheduledTime: number, env: EvaluatorEnv): Promise<void> {
  if (cron === DRIFT_CRON) {
    const threshold = Number(env.DRIFT_PSI_THRESHOLD ?? "0.2");
    const snapshots = await runDrift(env.DB, scheduledTime, Number.isFinite(threshold) ? threshold : 0.2);
    console.log(JSON.stringify({ msg: "drift computed", snapshots }));
  }
  const alerts = await runAlerts(env.DB, env, scheduledTime);
  console.log(JSON.stringify({ msg: "alerts evaluated", cron, ...alerts }));
}
