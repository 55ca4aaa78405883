/**
 * Cron dispatch: every 5 minutes evaluate alert rules; at minute 7 of every hour compute
 * hourly drift (and daily drift in the first hour of the UTC day), then evaluate alerts again
 * so a drift_psi rule sees the new snapshot.
 */
import type { EvaluatorEnv } from "./env";

export async function runScheduled(cron: string, scheduledTime: number, env: EvaluatorEnv): Promise<void> {
  void cron;
  void scheduledTime;
  void env;
}
