/**
 * Admin reads of stored data (beside admin-operations.ts, which holds the router's retraining
 * dataset): the small tier's fine-tuning set, and a tenant's archived rows (R2, written by the
 * evaluator's cron once they passed retention). The export decrypts stored exchanges, so it
 * needs `content:read` (route-policies.ts); archived traces keep their content sealed. A
 * non-operator reads its own tenant only. Exports are audited.
 */
import { Hono } from "hono";
import { z } from "zod";
import { ArchiveDaySchema, ArchiveTableSchema } from "../../../../shared/archive/layout";
import { readArchivedDay } from "../../../../shared/archive/read-day";
import { keyringFromEnv } from "../../../../shared/crypto/envelope";
import { GatewayError } from "../../../../shared/errors";
import type { AccessEnv } from "../auth/access-env";
import { tenantControlViolation } from "../auth/grants";
import { appendAudit } from "../../../../shared/audit/hash-chain";
import { parseQuery } from "../http/query";
import { FineTuningQuerySchema, streamFineTuningJsonl } from "../usage";
import { actorOf, grantorOf, isOperator, refuse, requireTenant } from "./admin/helpers";

export const ArchiveParamsSchema = z.object({ table: ArchiveTableSchema, day: ArchiveDaySchema });

/** Chunks become NDJSON lines as the client reads: one chunk in memory at a time. */
function ndjson(chunks: AsyncGenerator<unknown[]>): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) return controller.close();
      controller.enqueue(enc.encode(next.value.map((r) => `${JSON.stringify(r)}\n`).join("")));
    },
  });
}

export const adminDatasetRoutes = new Hono<AccessEnv>()
  .get("/datasets/fine-tuning", async (c) => {
    const query = parseQuery(c.req.url, FineTuningQuerySchema);
    // The export spans every feature, model and tier of the tenant: not for restricted keys.
    refuse(tenantControlViolation(grantorOf(c)));
    const tenantId = isOperator(c) ? query.tenantId : c.get("auth").tenantId;
    const keyring = await keyringFromEnv(c.env).catch(() => {
      throw new GatewayError("unavailable", "Content encryption keys are not configured, so stored exchanges cannot be exported.");
    });
    const body = streamFineTuningJsonl(c.env.DB, { ...query, ...(tenantId ? { tenantId } : {}), keyring });
    await appendAudit(c.env.DB, tenantId ?? null, { action: "dataset.exported", actor: actorOf(c), target: "fine-tuning", detail: { since: query.since, threshold: query.threshold, teachers: query.teachers } });
    return new Response(body, { headers: { "content-type": "application/x-ndjson" } });
  })
  .get("/tenants/:id/archive/:table/:day", async (c) => {
    const tenant = await requireTenant(c, c.req.param("id"));
    const params = ArchiveParamsSchema.safeParse({ table: c.req.param("table"), day: c.req.param("day") });
    if (!params.success) {
      const issue = params.error.issues[0];
      const param = issue?.path.join(".") ?? null;
      throw new GatewayError("invalid_request", `${param}: expected a table of ${ArchiveTableSchema.options.join(", ")} and a day as YYYY-MM-DD.`, { param });
    }
    refuse(tenantControlViolation(grantorOf(c)));
    const bucket = c.env.ARCHIVE;
    if (!bucket) throw new GatewayError("unavailable", "No archive bucket is bound (ARCHIVE), so archived rows cannot be read.");
    const body = ndjson(readArchivedDay(bucket, params.data.table, tenant.id, params.data.day));
    return new Response(body, { headers: { "content-type": "application/x-ndjson" } });
  });
