import type { Hono } from "hono";
import { GatewayError } from "../../../../../shared/errors";
import type { AccessEnv } from "../../auth/access-env";
import { getTenant, insertTenantStmt, listAllTenants, newTenantId } from "../../auth/repository";
import { batchWithAudit } from "../../../../../shared/audit/hash-chain";
import { actorOf, anchorLater, parseBody } from "./helpers";
import { CreateTenantSchema } from "./schemas";

export function registerTenantRoutes(app: Hono<AccessEnv>): void {
  app.post("/tenants", async (c) => {
    const body = await parseBody(c, CreateTenantSchema);
    const now = Date.now();
    const tenant = { id: body.id ?? newTenantId(), name: body.name, created_at: now };
    if (await getTenant(c.env.DB, tenant.id)) throw new GatewayError("conflict", "A tenant with this id already exists.", { param: "id" });
    try {
      await batchWithAudit(c.env.DB, [insertTenantStmt(c.env.DB, tenant)], tenant.id, { action: "tenant.created", actor: actorOf(c), target: tenant.id, detail: { name: tenant.name } }, now);
    } catch (err) {
      // Two creations of one id at once: the check above passed for both, the key refuses one.
      const detail = err instanceof Error ? `${err.message} ${String(err.cause ?? "")}` : String(err);
      if (/UNIQUE constraint failed: tenants|PRIMARY KEY.*tenants/i.test(detail)) throw new GatewayError("conflict", "A tenant with this id already exists.", { param: "id" });
      throw err;
    }
    anchorLater(c, now);
    return c.json(tenant, 201);
  });

  app.get("/tenants", async (c) => {
    return c.json({ object: "list", data: await listAllTenants(c.env.DB) });
  });
}
