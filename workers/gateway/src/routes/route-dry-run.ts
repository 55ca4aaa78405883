/**
 * POST /v1/route: what the router would do with a chat completion body, with no model call.
 * Optional `draft` is verified as in cascade mode. Body PII is redacted first, like on the
 * real path, so the classifier sees what it would see in production.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { registryFor } from "../config/registry-loader";
import { piiHashKeyFor, runInputGuardrails } from "../guardrails";
import { readJsonBody } from "../http/read-json-body";
import { RouteDryRunBodySchema, routeDryRun } from "../router/dry-run";
import { featureOf } from "../chat/feature";
import { requireSomeWindowFits } from "../chat/resolve-target";
import { routerFor } from "../chat/stages/route-stage";
import { trafficFor } from "../router/quality-target/traffic-store";
import { effectiveSettings } from "../router/settings";
import { settingsFor } from "../settings/settings-store";

export const routeDryRunRoutes = new Hono<AppEnv>().post("/v1/route", async (c) => {
  const body = await readJsonBody(c, RouteDryRunBodySchema);
  const auth = c.get("auth");
  const feature = featureOf(c, body);
  const registry = registryFor(c.env);
  // As on the chat path: a prompt no model this key may use can take is refused before any guardrail reads it.
  requireSomeWindowFits(body, registry, auth);
  const settings = await settingsFor(c.env.DB, auth.tenantId, feature);
  const guardrails = { ...settings.guardrails, injection: { ...settings.guardrails.injection, enabled: false } };
  const { request } = await runInputGuardrails(body, guardrails, piiHashKeyFor(c.env, auth.tenantId, guardrails));
  const explicit = registry.model(body.model);
  const targeted = (effectiveSettings(settings.router, auth.tenantId, feature).qualityTarget ?? null) !== null;
  const result = await routeDryRun({ ...body, messages: request.messages }, routerFor(settings.router), {
    ...(explicit && body.model !== "auto" ? { explicitModelTier: explicit.tier } : {}),
    allowedTiers: auth.tiers,
    tenantId: auth.tenantId,
    feature,
    traffic: targeted ? await trafficFor(c.env.KEYS_KV, auth.tenantId, feature) : null,
    modelForTier: (tier) => registry.modelsInTier(tier)[0]?.id,
  });
  return c.json(result);
});
