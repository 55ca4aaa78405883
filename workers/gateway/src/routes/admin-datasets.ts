/**
 * Admin exports of stored data for training (beside admin-operations.ts, which holds the
 * router's retraining dataset): the small tier's fine-tuning set. Exports decrypt stored
 * exchanges, so they need `content:read` (route-policies.ts); a non-operator exports its own
 * tenant only. Every export is audited.
 */
import { Hono } from "hono";
import { keyringFromEnv } from "../../../../shared/crypto/envelope";
import { GatewayError } from "../../../../shared/errors";
import type { AccessEnv } from "../auth/access-env";
import { tenantControlViolation } from "../auth/grants";
import { appendAudit } from "../audit/hash-chain";
import { parseQuery } from "../http/query";
import { FineTuningQuerySchema, streamFineTuningJsonl } from "../usage";
import { actorOf, grantorOf, isOperator, refuse } from "./admin/helpers";

export const adminDatasetRoutes = new Hono<AccessEnv>().get("/datasets/fine-tuning", async (c) => {
  const query = parseQuery(c.req.url, FineTuningQuerySchema);
  // The export spans every feature, model and tier of the tenant: not for restricted keys.
  refuse(tenantControlViolation(grantorOf(c)));
  const tenantId = isOperator(c) ? query.tenantId : c.get("auth").tenantId;
  const keyring = await keyringFromEnv(c.env).catch(() => {
    throw new GatewayError("unavailable", "Content encryption keys are not configured, so stored exchanges cannot be exported.");
  });
  const body = streamFineTuningJsonl(c.env.DB, { ...query, ...(tenantId ? { tenantId } : {}), keyring });
  await appendAudit(c.env.DB, tenantId ?? null, { action: "dataset.exported", actor: actorOf(c), target: "fine-tuning", detail: { since: query.since, threshold: query.threshold } });
  return new Response(body, { headers: { "content-type": "application/x-ndjson" } });
});
