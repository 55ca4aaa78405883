/**
 * The alert job (cron): for every enabled rule, compute its metric over the current tumbling
 * window; when it crosses, record a firing keyed (rule, window start) and deliver the signed
 * webhook. The firing row is the duplicate suppressor: a window fires once, and each delivery
 * attempt is claimed with a compare-and-set on `attempts`, so two overlapping cron runs cannot
 * both send. Undelivered firings stay 'pending' and are retried by later runs, up to a cap.
 */
import { z } from "zod";
import { secretByName } from "../env";
import { crosses, metricSourceFromEnv, metricValue, type MetricSource } from "./metrics";
import { MINUTE_COUNTERS_DAYS } from "../ledger/minute-counters";
import { enabledRulesForCron, type AlertRule } from "../../../../shared/alerts/alert-rules";
import { deliverWebhook } from "./webhook";

export const MAX_DELIVERY_RUNS = 5;

export interface AlertRunResult {
  evaluated: number;
  fired: number;
  delivered: number;
  failed: number;
}

const FiringSchema = z.object({ status: z.string(), attempts: z.number(), value: z.number() });

/** How long after a window closes it is read: time for its last events to leave the queue. */
export const ALERT_LAG_MS = 2 * 60_000;

export function windowStart(now: number, windowMinutes: number): number {
  const ms = windowMinutes * 60_000;
  return Math.floor(now / ms) * ms;
}

async function claimFiring(db: D1Database, rule: AlertRule, start: number, value: number, now: number): Promise<z.infer<typeof FiringSchema> | null> {
  await db
    .prepare(
      `INSERT INTO alert_firings (rule_id, window_start, tenant_id, value, status, attempts, fired_at)
       VALUES (?1, ?2, ?3, ?4, 'pending', 0, ?5) ON CONFLICT (rule_id, window_start) DO NOTHING`,
    )
    .bind(rule.id, start, rule.tenantId, value, now)
    .run();
  const row = await db.prepare("SELECT status, attempts, value FROM alert_firings WHERE tenant_id = ?1 AND rule_id = ?2 AND window_start = ?3").bind(rule.tenantId, rule.id, start).first();
  const firing = row ? FiringSchema.parse(row) : null;
  if (!firing || firing.status !== "pending" || firing.attempts >= MAX_DELIVERY_RUNS) return null;
  const claim = await db
    .prepare("UPDATE alert_firings SET attempts = attempts + 1 WHERE tenant_id = ?1 AND rule_id = ?2 AND window_start = ?3 AND status = 'pending' AND attempts = ?4")
    .bind(rule.tenantId, rule.id, start, firing.attempts)
    .run();
  return claim.meta.changes === 1 ? { ...firing, attempts: firing.attempts + 1 } : null;
}

export function alertPayload(rule: AlertRule, start: number, value: number, now: number): string {
  return JSON.stringify({
    type: "alert.fired",
    ruleId: rule.id,
    ruleName: rule.name ?? null,
    tenantId: rule.tenantId,
    metric: rule.metric,
    comparator: rule.comparator,
    threshold: rule.threshold,
    value,
    windowStart: new Date(start).toISOString(),
    windowMinutes: rule.windowMinutes,
    firedAt: new Date(now).toISOString(),
  });
}

/**
 * Whether a window can still be read whole. Each cron re-reads the last closed window, so a 7-day
 * rule reads one window until the next closes: up to 14 days back. The minute counters are pruned
 * after MINUTE_COUNTERS_DAYS, so a window reaching past them is no longer evaluated (its spend would
 * read low and its rates come from a truncated tail); a 7-day window is still evaluated for its
 * first day after it closes, which is when it fires.
 */
export function windowReadable(source: MetricSource, start: number, now: number): boolean {
  return source !== "counters" || start >= now - MINUTE_COUNTERS_DAYS * 86_400_000;
}

async function fireRule(db: D1Database, env: Record<string, unknown>, rule: AlertRule, now: number, result: AlertRunResult, fetchFn?: typeof fetch): Promise<void> {
  // The last window that closed at least ALERT_LAG_MS ago: crons run on window boundaries, where
  // the current window has only just begun (empty for a 5-minute rule), and a window's last
  // events are still on the queue when it closes (batching, retries).
  const span = rule.windowMinutes * 60_000;
  const start = windowStart(now - ALERT_LAG_MS, rule.windowMinutes) - span;
  const source = metricSourceFromEnv(env);
  if (!windowReadable(source, start, now)) return;
  const value = await metricValue(db, rule.tenantId, rule.metric, start, start + span, source);
  result.evaluated++;
  if (value === null || !crosses(value, rule.comparator, rule.threshold)) return;
  const firing = await claimFiring(db, rule, start, value, now);
  if (!firing) return;
  result.fired++;
  // Checked again here, not only when the rule was written: a rule stored before the ALERT_
  // rule (rules.ts) must not sign with a provider key either.
  const secret = rule.secretName.startsWith("ALERT_") ? secretByName(env, rule.secretName) : undefined;
  const delivery = secret
    ? await deliverWebhook(rule.webhookUrl, alertPayload(rule, start, firing.value, now), secret, { fetch: fetchFn })
    : { ok: false, tries: 0, error: `secret ${rule.secretName} is not set or not an ALERT_ secret` };
  const status = delivery.ok ? "delivered" : firing.attempts >= MAX_DELIVERY_RUNS ? "failed" : "pending";
  if (delivery.ok) result.delivered++;
  else result.failed++;
  await db
    .prepare("UPDATE alert_firings SET status = ?4, last_error = ?5, delivered_at = ?6 WHERE tenant_id = ?1 AND rule_id = ?2 AND window_start = ?3")
    .bind(rule.tenantId, rule.id, start, status, delivery.error, delivery.ok ? Date.now() : null)
    .run();
}

export async function runAlerts(db: D1Database, env: Record<string, unknown>, now: number, fetchFn?: typeof fetch): Promise<AlertRunResult> {
  const result: AlertRunResult = { evaluated: 0, fired: 0, delivered: 0, failed: 0 };
  for (const rule of await enabledRulesForCron(db)) {
    try {
      await fireRule(db, env, rule, now, result, fetchFn);
    } catch (err) {
      console.error(JSON.stringify({ msg: "alert rule failed", ruleId: rule.id, error: String(err).slice(0, 300) }));
    }
  }
  return result;
}
