/**
 * Alert rules: per tenant, "metric comparator threshold over a window -> signed webhook".
 * Admin-configurable through the gateway (/admin/v1/alerts mounts createAlertRule,
 * listAlertRules, deleteAlertRule); the evaluator's cron reads and evaluates them. The HMAC
 * key is a Worker secret referenced by name, so D1 never holds it.
 */
import { z } from "zod";

export const ALERT_METRICS = ["judge_score_mean", "error_rate", "latency_p95", "spend_usd", "drift_psi"] as const;
export const COMPARATORS = ["gt", "gte", "lt", "lte"] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];
export type Comparator = (typeof COMPARATORS)[number];

const isLoopback = (u: URL): boolean => u.hostname === "127.0.0.1" || u.hostname === "localhost" || u.hostname === "[::1]";

export const AlertRuleInputSchema = z.object({
  name: z.string().max(200).optional(),
  metric: z.enum(ALERT_METRICS),
  comparator: z.enum(COMPARATORS),
  threshold: z.number().finite(),
  windowMinutes: z.number().int().min(5).max(10_080),
  // https only, except loopback for local development and tests.
  webhookUrl: z.url().refine((s) => {
    const u = new URL(s);
    return u.protocol === "https:" || (u.protocol === "http:" && isLoopback(u));
  }, "webhookUrl must be https"),
  // Only secrets named for alerts: a tenant admin must not get webhooks signed with, say, a
  // provider API key the evaluator also holds.
  secretName: z.string().regex(/^ALERT_[A-Z0-9_]+$/, "secretName must name an alert secret: ALERT_ followed by UPPER_SNAKE_CASE"),
  enabled: z.boolean().default(true),
}).refine((r) => r.metric !== "drift_psi" || r.windowMinutes % 60 === 0, {
  message: "drift is computed per closed hour: a drift_psi rule needs a window of whole hours",
  path: ["windowMinutes"],
});
export type AlertRuleInput = z.input<typeof AlertRuleInputSchema>;

export const AlertRuleSchema = AlertRuleInputSchema.extend({ id: z.string(), tenantId: z.string(), createdAt: z.number() });
export type AlertRule = z.infer<typeof AlertRuleSchema>;

const RowSchema = z.object({
  id: z.string(),
  tenant_id: z.string(),
  name: z.string().nullable(),
  metric: z.enum(ALERT_METRICS),
  comparator: z.enum(COMPARATORS),
  threshold: z.number(),
  window_minutes: z.number(),
  webhook_url: z.string(),
  secret_name: z.string(),
  enabled: z.number(),
  created_at: z.number(),
});

function fromRow(r: z.infer<typeof RowSchema>): AlertRule {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    ...(r.name === null ? {} : { name: r.name }),
    metric: r.metric,
    comparator: r.comparator,
    threshold: r.threshold,
    windowMinutes: r.window_minutes,
    webhookUrl: r.webhook_url,
    secretName: r.secret_name,
    enabled: r.enabled === 1,
    createdAt: r.created_at,
  };
}

/** The insert for a new rule, to be batched with its audit row (the admin route does). */
export function alertRuleInsert(db: D1Database, tenantId: string, input: AlertRuleInput, now = Date.now()): { rule: AlertRule; statement: D1PreparedStatement } {
  const rule = AlertRuleInputSchema.parse(input);
  const id = `alr_${crypto.randomUUID()}`;
  const statement = db
    .prepare(
      `INSERT INTO alert_rules (id, tenant_id, name, metric, comparator, threshold, window_minutes, webhook_url, secret_name, enabled, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)`,
    )
    .bind(id, tenantId, rule.name ?? null, rule.metric, rule.comparator, rule.threshold, rule.windowMinutes, rule.webhookUrl, rule.secretName, rule.enabled ? 1 : 0, now);
  return { rule: { ...rule, id, tenantId, createdAt: now }, statement };
}

export async function createAlertRule(db: D1Database, tenantId: string, input: AlertRuleInput, now = Date.now()): Promise<AlertRule> {
  const { rule, statement } = alertRuleInsert(db, tenantId, input, now);
  await statement.run();
  return rule;
}

export async function listAlertRules(db: D1Database, tenantId: string): Promise<AlertRule[]> {
  const { results } = await db.prepare("SELECT * FROM alert_rules WHERE tenant_id = ?1 ORDER BY created_at, id").bind(tenantId).all();
  return z.array(RowSchema).parse(results).map(fromRow);
}

export async function deleteAlertRule(db: D1Database, tenantId: string, ruleId: string): Promise<boolean> {
  const res = await alertRuleDelete(db, tenantId, ruleId).run();
  return res.meta.changes > 0;
}

/** The delete, to be batched with its audit row; check `alertRuleExists` first. */
export function alertRuleDelete(db: D1Database, tenantId: string, ruleId: string): D1PreparedStatement {
  return db.prepare("DELETE FROM alert_rules WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, ruleId);
}

export async function alertRuleExists(db: D1Database, tenantId: string, ruleId: string): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS x FROM alert_rules WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, ruleId).first()) !== null;
}

/** The cron's cross-tenant read; the one query here not scoped to a tenant, by design. */
export async function enabledRulesForCron(db: D1Database): Promise<AlertRule[]> {
  const { results } = await db.prepare("SELECT * FROM alert_rules WHERE enabled = 1 ORDER BY tenant_id, id LIMIT 5000").all();
  return z.array(RowSchema).parse(results).map(fromRow);
}
