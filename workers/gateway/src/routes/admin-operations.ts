/**
 * Admin routes for how a tenant's traffic is handled (beside routes/admin/, which manages
 * tenants, keys, budgets and limits): request-path policy per tenant and feature, alert
 * rules, the router's retraining dataset (and, from admin-datasets.ts, the small tier's
 * fine-tuning dataset). Admin keys act on their own tenant; operators
 * (`tenants:manage`) on any. Every change is audited.
 */
import { Hono } from "hono";
import { z } from "zod";
import { GatewayError } from "../../../../shared/errors";
import { keyringFromEnv } from "../../../../shared/crypto/envelope";
import type { AccessEnv } from "../auth/access-env";
import { featureControlViolation, tenantControlViolation } from "../auth/grants";
import { contentGrantViolation } from "../auth/redaction-grants";
import { appendAudit, batchWithAudit } from "../../../../shared/audit/hash-chain";
import type { GuardrailSettings } from "../guardrails/settings";
import { canHashHere, policyHashes } from "../guardrails/redact/hash-key";
import { parseQuery } from "../http/query";
import { settingsChanges } from "../settings/settings-change";
import { loadFeatureLayers, loadLayers, putSettingsStmt, resolveLayers, storedLayer } from "../settings/settings-store";
import { resolveSettings, TenantSettingsInputSchema, type TenantSettingsInput } from "../settings/tenant-settings";
import { AlertRuleInputSchema, alertRuleDelete, alertRuleExists, alertRuleInsert, listAlertRules, RetrainingQuerySchema, streamRetrainingJsonl } from "../usage";
import { actorOf, anchorLater, grantorOf, isOperator, parseBody, refuse, requireTenant } from "./admin/helpers";
import { adminDatasetRoutes } from "./admin-datasets";

export const FeatureQuerySchema = z.object({ feature: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/).optional() });

export const adminOperationsRoutes = new Hono<AccessEnv>()
  .get("/tenants/:id/settings", async (c) => {
    const tenant = await requireTenant(c, c.req.param("id"));
    const { feature } = parseQuery(c.req.url, FeatureQuerySchema);
    const layers = await loadLayers(c.env.DB, tenant.id, feature ?? null);
    return c.json({ tenant_id: tenant.id, feature: feature ?? null, layers, effective: resolveLayers(layers) });
  })
  .put("/tenants/:id/settings", async (c) => {
    const tenant = await requireTenant(c, c.req.param("id"));
    const { feature } = parseQuery(c.req.url, FeatureQuerySchema);
    const input = await parseBody(c, TenantSettingsInputSchema);
    if (feature && input.retention) throw new GatewayError("invalid_request", "retention is tenant-wide: set it without ?feature.", { param: "retention" });
    if (feature && input.datasets) throw new GatewayError("invalid_request", "datasets is tenant-wide: set it without ?feature.", { param: "datasets" });
    refuse(feature ? featureControlViolation(grantorOf(c), feature) : tenantControlViolation(grantorOf(c)), feature ? "feature" : undefined);
    // Validate the layer as it will be used: merged over the tenant-wide layer; and a new
    // tenant-wide layer merged under every feature layer that already exists.
    const merges: Array<{ feature: string | null; layers: TenantSettingsInput[] }> = feature
      ? [{ feature, layers: [...(await loadLayers(c.env.DB, tenant.id, null)).slice(0, 1), input] }]
      : [{ feature: null, layers: [input] }, ...(await loadFeatureLayers(c.env.DB, tenant.id)).map((f) => ({ feature: f.feature, layers: [input, f.settings] }))];
    const before = (await storedLayer(c.env.DB, tenant.id, feature ?? null)) ?? {};
    for (const merge of merges) {
      try {
        const after = resolveSettings(merge.layers).guardrails;
        refuseUnkeyedHash(c.env, after, merge.layers.map((l) => (l === input ? before : l)), merge.feature && !feature ? merge.feature : null);
      } catch (err) {
        if (err instanceof GatewayError) throw err;
        const issue = err instanceof z.ZodError ? err.issues[0] : undefined;
        const where = merge.feature && !feature ? ` (merged with feature "${merge.feature}")` : "";
        throw new GatewayError("invalid_request", `${issue ? `${issue.path.join(".")}: ${issue.message}` : "Invalid settings."}${where}`, { param: issue?.path.join(".") ?? null });
      }
    }
    // Letting more content through redaction is a content grant (auth/redaction-grants.ts).
    refuse(contentGrantViolation(grantorOf(c), await settingsChanges(c.env.DB, tenant.id, feature ?? null, input)));
    const now = Date.now();
    await batchWithAudit(c.env.DB, [putSettingsStmt(c.env.DB, tenant.id, feature ?? null, input, now)], tenant.id, { action: "settings.updated", actor: actorOf(c), target: feature ? `${tenant.id}/${feature}` : tenant.id, detail: { sections: Object.keys(input) } }, now);
    anchorLater(c, now);
    return c.json({ tenant_id: tenant.id, feature: feature ?? null, settings: input });
  })
  .get("/tenants/:id/alerts", async (c) => {
    const tenant = await requireTenant(c, c.req.param("id"));
    return c.json({ object: "list", data: await listAlertRules(c.env.DB, tenant.id) });
  })
  .post("/tenants/:id/alerts", async (c) => {
    const tenant = await requireTenant(c, c.req.param("id"));
    const input = await parseBody(c, AlertRuleInputSchema);
    refuse(tenantControlViolation(grantorOf(c)));
    // The rule and its audit row land together or not at all (a retry after a failed audit
    // must not leave a rule behind, or create a second one).
    const now = Date.now();
    const { rule, statement } = alertRuleInsert(c.env.DB, tenant.id, input, now);
    await batchWithAudit(c.env.DB, [statement], tenant.id, { action: "alert_rule.created", actor: actorOf(c), target: rule.id, detail: { metric: rule.metric } }, now);
    anchorLater(c, now);
    return c.json(rule, 201);
  })
  .delete("/tenants/:id/alerts/:rule", async (c) => {
    const tenant = await requireTenant(c, c.req.param("id"));
    const ruleId = c.req.param("rule");
    refuse(tenantControlViolation(grantorOf(c)));
    if (!(await alertRuleExists(c.env.DB, tenant.id, ruleId))) throw new GatewayError("not_found", "Alert rule not found.");
    const now = Date.now();
    await batchWithAudit(c.env.DB, [alertRuleDelete(c.env.DB, tenant.id, ruleId)], tenant.id, { action: "alert_rule.deleted", actor: actorOf(c), target: ruleId }, now);
    anchorLater(c, now);
    return c.json({ id: ruleId, deleted: true });
  })
  .get("/datasets/retraining", async (c) => {
    const query = parseQuery(c.req.url, RetrainingQuerySchema);
    // The export spans every feature, model and tier of the tenant: not for restricted keys.
    refuse(tenantControlViolation(grantorOf(c)));
    // Non-operators export their own tenant only; an operator may name one or take all.
    const tenantId = isOperator(c) ? query.tenantId : c.get("auth").tenantId;
    const keyring = await keyringFromEnv(c.env).catch(() => {
      throw new GatewayError("unavailable", "Content encryption keys are not configured, so stored exchanges cannot be exported.");
    });
    const body = streamRetrainingJsonl(c.env.DB, { ...query, ...(tenantId ? { tenantId } : {}), keyring });
    await appendAudit(c.env.DB, tenantId ?? null, { action: "dataset.exported", actor: actorOf(c), target: "retraining", detail: { since: query.since } });
    return new Response(body, { headers: { "content-type": "application/x-ndjson" } });
  })
  .route("/", adminDatasetRoutes);

/**
 * A write that turns the PII `hash` action on for some scope (this layer, or this layer merged
 * with another that exists) on a deployment without a usable PII_HASH_KEY is refused when it is
 * written, not on every request after (each would get a 503 pii_hash_key_missing). Whether it
 * turns hashing on is judged against the stored layers, so a tenant whose policy already hashes
 * can still change its other settings, and hashing cannot be assembled across layers either.
 */
function refuseUnkeyedHash(env: object, after: GuardrailSettings, beforeLayers: TenantSettingsInput[], mergedFeature: string | null): void {
  if (!policyHashes(after) || canHashHere(env)) return;
  let hashedBefore = false;
  try {
    hashedBefore = policyHashes(resolveSettings(beforeLayers).guardrails);
  } catch {
    // Stored layers that no longer resolve: judge the write alone.
  }
  if (hashedBefore) return;
  const where = mergedFeature ? ` (merged with feature "${mergedFeature}")` : "";
  throw new GatewayError("invalid_request", `This gateway has no PII_HASH_KEY, so the \`hash\` action cannot run here and every request under this policy${where} would be refused. Use redact or mask, or ask the gateway's operator to set PII_HASH_KEY first.`, { param: "guardrails.pii.entities", code: "pii_hash_key_missing" });
}
