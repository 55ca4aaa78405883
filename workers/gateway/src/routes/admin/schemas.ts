/** Request bodies and path params of the admin API (zod at the boundary). */
import { z } from "zod";
import { BUDGET_POLICIES, BUDGET_SCOPES, LIMITER_FAIL_MODES } from "../../limits/budget-types";

export const TenantIdSchema = z.string().regex(/^ten_[a-z0-9_]{1,40}$/);
export const KeyIdSchema = z.string().regex(/^key_[a-z2-7]{16}$/);

export const CreateTenantSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  id: TenantIdSchema.optional(),
});

export const BudgetEntrySchema = z
  .strictObject({
    scope: z.enum(BUDGET_SCOPES).default("tenant"),
    /** Key id for scope "key", feature name for scope "feature"; omitted for "tenant". */
    scope_id: z.string().min(1).max(128).optional(),
    monthly_usd: z.number().nonnegative().max(1e9),
    policy: z.enum(BUDGET_POLICIES).default("block"),
    /** Downgrade budgets: calls are refused once spend reaches this; default 1.2 x monthly_usd. */
    ceiling_usd: z.number().nonnegative().max(1e9).optional(),
  })
  .refine((b) => (b.scope === "tenant") === (b.scope_id === undefined), { message: "scope_id is required for key and feature budgets, and not allowed for the tenant budget", path: ["scope_id"] })
  .refine((b) => b.ceiling_usd === undefined || (b.policy === "downgrade" && b.ceiling_usd >= b.monthly_usd), {
    message: "ceiling_usd is for downgrade budgets and must be at least monthly_usd",
    path: ["ceiling_usd"],
  });

export const PutBudgetSchema = z
  .strictObject({ budgets: z.array(BudgetEntrySchema).max(200) })
  .refine((b) => new Set(b.budgets.map((x) => `${x.scope}:${x.scope_id ?? ""}`)).size === b.budgets.length, {
    message: "duplicate budget scope",
    path: ["budgets"],
  });

const perMinute = z.number().int().positive().max(1e9).nullable().default(null);
export const PutLimitsSchema = z.strictObject({
  tenant_requests_per_minute: perMinute,
  tenant_tokens_per_minute: perMinute,
  key_requests_per_minute: perMinute,
  key_tokens_per_minute: perMinute,
  /** When the limiter is unreachable: "closed" refuses calls (503), "open" lets them through. */
  limiter_fail_mode: z.enum(LIMITER_FAIL_MODES).default("closed"),
});
