/**
 * Admin: budgets and rate limits (GET /admin/v1/tenants/{id}/budget and /limits) next to the
 * month's spend so far (GET /v1/usage from the first of the month, by feature and by key).
 * An admin session edits both (admin-budgets-edit.ts, the admin API's PUTs); any other session
 * gets the read-only view (and whatever the API lets its key read).
 */
import { get } from "../api";
import { budgetEditor, limitsEditor } from "./admin-budgets-edit";
import { facts, h, notice, table } from "../dom";
import { pct, usd } from "../format";
import type { Page } from "../router";
import type { BudgetView, UsageReport } from "../types";

const perMinute = (n: unknown) => (typeof n === "number" ? `${n} / min` : "unlimited");

export const budgetsPage: Page = {
  title: "Budgets & limits",
  async render(ctx) {
    const tenant = encodeURIComponent(ctx.session.tenantId);
    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
    const [budget, limits, byFeature, byKey] = await Promise.all([
      get<{ budgets: BudgetView[] }>(`/admin/v1/tenants/${tenant}/budget`),
      get<Record<string, unknown>>(`/admin/v1/tenants/${tenant}/limits`),
      get<UsageReport>("/v1/usage", { from: monthStart, group_by: "feature" }),
      get<UsageReport>("/v1/usage", { from: monthStart, group_by: "key" }),
    ]);
    const spendOf = (b: Pick<BudgetView, "scope" | "scope_id">): number => {
      const rows = b.scope === "feature" ? byFeature.rows.filter((r) => r.feature === b.scope_id) : b.scope === "key" ? byKey.rows.filter((r) => r.key === b.scope_id) : byFeature.rows;
      return rows.reduce((s, r) => s + r.costUsd, 0);
    };
    const intro = h("p", {}, `Spend this month (since ${monthStart.slice(0, 10)}): ${usd(byFeature.rows.reduce((s, r) => s + r.costUsd, 0))}.`);
    if (ctx.session.admin) {
      return [intro, h("h2", {}, "Budgets"), budgetEditor(ctx.session.tenantId, budget.budgets, spendOf), h("h2", {}, "Rate limits"), limitsEditor(ctx.session.tenantId, limits)];
    }
    const budgetRows = budget.budgets.map((b) => {
      const spent = spendOf(b);
      const meter = h("meter", { min: 0, max: b.monthly_usd || 1, value: Math.min(spent, b.monthly_usd || 1), "aria-label": `${b.scope} ${b.scope_id ?? ""} spend` });
      return [b.scope, b.scope_id ?? "—", usd(b.monthly_usd), b.policy, usd(b.ceiling_usd), usd(spent), h("span", { class: "inline" }, meter, pct(b.monthly_usd > 0 ? spent / b.monthly_usd : null))];
    });
    return [
      intro,
      h("h2", {}, "Budgets"),
      budgetRows.length ? table(["Scope", "Of", "Monthly", "Policy", "Ceiling", "Spent", "Used"], budgetRows) : notice("info", "No budgets: spend is unlimited."),
      h("h2", {}, "Rate limits"),
      facts([
        ["Tenant requests", perMinute(limits["tenant_requests_per_minute"])],
        ["Tenant tokens", perMinute(limits["tenant_tokens_per_minute"])],
        ["Per-key requests", perMinute(limits["key_requests_per_minute"])],
        ["Per-key tokens", perMinute(limits["key_tokens_per_minute"])],
        ["When the limiter is unreachable", String(limits["limiter_fail_mode"] ?? "closed")],
      ]),
    ];
  },
};
