/** POST /v1/guardrails/check: tenants test their PII and injection policy on a text, no model call. */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { GuardrailCheckRequestSchema, piiHashKeyFor, runGuardrailCheck } from "../guardrails";
import { featureOf } from "../chat/feature";
import { readJsonBody } from "../http/read-json-body";
import { settingsFor } from "../settings/settings-store";

export const guardrailsCheckRoutes = new Hono<AppEnv>().post("/v1/guardrails/check", async (c) => {
  const body = await readJsonBody(c, GuardrailCheckRequestSchema);
  const auth = c.get("auth");
  // The feature's own policy (X-Feature), validated and allow-listed as on the chat route.
  const settings = await settingsFor(c.env.DB, auth.tenantId, featureOf(c, {}));
  return c.json(runGuardrailCheck(body, settings.guardrails, piiHashKeyFor(c.env, auth.tenantId, settings.guardrails)));
});
