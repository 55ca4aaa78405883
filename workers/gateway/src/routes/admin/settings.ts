import type { Hono } from "hono";
import { GatewayError } from "../../../../../shared/errors";
import type { AccessEnv } from "../../auth/access-env";
import { getKey } from "../../auth/repository";
import { batchWithAudit } from "../../audit/hash-chain";
import { listBudgets, replaceBudgetsStmts, upsertLimitsStmt } from "../../limits/budget-repository";
import { actorOf, anchorLater, parseBody, requireTenant } from "./helpers";
import { PutBudgetSchema, PutLimitsSchema } from "./schemas";

export function registerSettingsRoutes(app: Hono<AccessEnv>): void {
  app.put("/tenants/:id/budget", async (c) => {
    const tenant = await requireTenant(c, c.req.param("id"));
    const body = await parseBody(c, PutBudgetSchema);
    for (const [i, b] of body.budgets.entries()) {
      if (b.scope === "key" && !(await getKey(c.env.DB, tenant.id, b.scope_id ?? ""))) {
        throw new GatewayError("invalid_request", "scope_id is not a key of this tenant.", { param: `budgets.${i}.scope_id` });
      }
    }
    const now = Date.now();
    const rows = body.budgets.map((b) => ({ scope: b.scope, scope_id: b.scope_id ?? "", monthly_usd: b.monthly_usd, policy: b.policy, updated_at: now }));
    const detail = { budgets: rows.map((r) => ({ scope: r.scope, scope_id: r.scope_id, monthly_usd: r.monthly_usd, policy: r.policy })) };
    await batchWithAudit(c.env.DB, replaceBudgetsStmts(c.env.DB, tenant.id, rows), tenant.id, { action: "budget.updated", actor: actorOf(c), target: tenant.id, detail }, now);
    anchorLater(c, now);
    return c.json({ tenant_id: tenant.id, budgets: (await listBudgets(c.env.DB, tenant.id)).map(({ tenant_id: _t, ...b }) => b) });
  });

  app.put("/tenants/:id/limits", async (c) => {
    const tenant = await requireTenant(c, c.req.param("id"));
    const limits = await parseBody(c, PutLimitsSchema);
    const now = Date.now();
    await batchWithAudit(c.env.DB, [upsertLimitsStmt(c.env.DB, tenant.id, limits, now)], tenant.id, { action: "limits.updated", actor: actorOf(c), target: tenant.id, detail: { ...limits } }, now);
    anchorLater(c, now);
    return c.json({ tenant_id: tenant.id, ...limits });
  });
}
