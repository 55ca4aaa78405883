/** DELETE /v1/cache[?feature=...]: purge the calling tenant's cached answers. */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env";
import { assertFeatureNamed } from "../auth/allow-lists";
import { appendAudit } from "../../../../shared/audit/hash-chain";
import { purgeCache } from "../chat/stages/cache-stage";
import { parseQuery } from "../http/query";

export const PurgeQuerySchema = z.object({ feature: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/).optional() });

export const cachePurgeRoutes = new Hono<AppEnv>().delete("/v1/cache", async (c) => {
  const { feature } = parseQuery(c.req.url, PurgeQuerySchema);
  const auth = c.get("auth");
  // Without ?feature the purge spans every feature: a key limited to some must name one of them.
  assertFeatureNamed(auth, feature);
  const result = await purgeCache(c.env, auth.tenantId, feature ?? null);
  await appendAudit(c.env.DB, auth.tenantId, { action: "cache.purged", actor: auth.keyId, target: feature ?? "*", detail: { ...result } });
  return c.json({ tenant_id: auth.tenantId, feature: feature ?? null, purged: true, vectors_deleted: result.vectorsDeleted });
});
