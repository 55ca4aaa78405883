import type { Context, Hono } from "hono";
import type { z } from "zod";
import { GatewayError } from "../../../../../shared/errors";
import type { AccessEnv } from "../../auth/access-env";
import { featureControlViolation, manageKeyViolation, tenantControlViolation, type Grantor, type Violation } from "../../auth/grants";
import { getKey } from "../../auth/repository";
import { batchWithAudit } from "../../../../../shared/audit/hash-chain";
import { getLimits, listBudgets, replaceBudgetsStmts, upsertLimitsStmt, type BudgetRow } from "../../limits/budget-repository";
import { actorOf, anchorLater, grantorOf, keyGrantorOf, parseBody, refuse, requireTenant } from "./helpers";
import { PutBudgetSchema, PutLimitsSchema } from "./schemas";

type BudgetEntry = Pick<BudgetRow, "scope" | "scope_id" | "monthly_usd" | "policy" | "ceiling_usd">;
const slot = (b: Pick<BudgetRow, "scope" | "scope_id">): string => `${b.scope}:${b.scope_id}`;

/**
 * PUT replaces every budget, so the grant rule (auth/grants.ts) is applied to what changes:
 * each added, edited or dropped budget must be one the caller may set. Unchanged entries a
 * restricted caller re-sends as they are pass, so it can still edit the budgets of its own keys.
 */
async function budgetChangesViolation(c: Context<AccessEnv>, by: Grantor, tenantId: string, next: BudgetEntry[]): Promise<Violation | null> {
  const current = new Map((await listBudgets(c.env.DB, tenantId)).map((b) => [slot(b), b]));
  const nextSlots = new Set(next.map(slot));
  const changed: Array<{ entry: BudgetEntry; param: string }> = [
    ...next.flatMap((entry, i) => {
      const was = current.get(slot(entry));
      return was && was.monthly_usd === entry.monthly_usd && was.policy === entry.policy && was.ceiling_usd === entry.ceiling_usd ? [] : [{ entry, param: `budgets.${i}` }];
    }),
    ...[...current.values()].filter((b) => !nextSlots.has(slot(b))).map((entry) => ({ entry, param: "budgets" })),
  ];
  for (const { entry, param } of changed) {
    let v: Violation | null;
    if (entry.scope === "tenant") v = tenantControlViolation(by);
    else if (entry.scope === "feature") v = featureControlViolation(by, entry.scope_id);
    else {
      const key = await getKey(c.env.DB, tenantId, entry.scope_id);
      v = key ? manageKeyViolation(by, key) : null;
    }
    if (v) return { ...v, param };
  }
  return null;
}

function budgetRows(body: z.infer<typeof PutBudgetSchema>, now: number): Array<BudgetEntry & { updated_at: number }> {
  return body.budgets.map((b) => ({ scope: b.scope, scope_id: b.scope_id ?? "", monthly_usd: b.monthly_usd, policy: b.policy, ceiling_usd: b.ceiling_usd ?? null, updated_at: now }));
}

/** The wire view of a tenant's budgets (GET and PUT answer alike). */
async function budgetsView(db: D1Database, tenantId: string) {
  return { tenant_id: tenantId, budgets: (await listBudgets(db, tenantId)).map(({ tenant_id: _t, ...b }) => b) };
}

export function registerSettingsRoutes(app: Hono<AccessEnv>): void {
  app.get("/tenants/:id/budget", async (c) => {
    const tenant = await requireTenant(c, c.req.param("id"));
    return c.json(await budgetsView(c.env.DB, tenant.id));
  });

  // A tenant that never set limits reads as the PUT defaults (every limit null = unlimited).
  app.get("/tenants/:id/limits", async (c) => {
    const tenant = await requireTenant(c, c.req.param("id"));
    const stored = await getLimits(c.env.DB, tenant.id);
    return c.json({ tenant_id: tenant.id, ...PutLimitsSchema.parse({}), ...stored });
  });

  app.put("/tenants/:id/budget", async (c) => {
    const tenant = await requireTenant(c, c.req.param("id"));
    const body = await parseBody(c, PutBudgetSchema);
    for (const [i, b] of body.budgets.entries()) {
      if (b.scope === "key" && !(await getKey(c.env.DB, tenant.id, b.scope_id ?? ""))) {
        throw new GatewayError("invalid_request", "scope_id is not a key of this tenant.", { param: `budgets.${i}.scope_id` });
      }
    }
    const now = Date.now();
    const rows = budgetRows(body, now);
    refuse(await budgetChangesViolation(c, await keyGrantorOf(c), tenant.id, rows));
    const detail = { budgets: rows.map((r) => ({ scope: r.scope, scope_id: r.scope_id, monthly_usd: r.monthly_usd, policy: r.policy, ceiling_usd: r.ceiling_usd })) };
    await batchWithAudit(c.env.DB, replaceBudgetsStmts(c.env.DB, tenant.id, rows), tenant.id, { action: "budget.updated", actor: actorOf(c), target: tenant.id, detail }, now);
    anchorLater(c, now);
    return c.json(await budgetsView(c.env.DB, tenant.id));
  });

  app.put("/tenants/:id/limits", async (c) => {
    const tenant = await requireTenant(c, c.req.param("id"));
    const limits = await parseBody(c, PutLimitsSchema);
    refuse(tenantControlViolation(grantorOf(c)));
    const now = Date.now();
    await batchWithAudit(c.env.DB, [upsertLimitsStmt(c.env.DB, tenant.id, limits, now)], tenant.id, { action: "limits.updated", actor: actorOf(c), target: tenant.id, detail: { ...limits } }, now);
    anchorLater(c, now);
    return c.json({ tenant_id: tenant.id, ...limits });
  });
}
