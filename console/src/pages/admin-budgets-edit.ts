/**
 * Editing budgets and rate limits from the budgets page, for admin keys: the forms send the
 * admin API's own PUT bodies (PUT /admin/v1/tenants/{id}/budget replaces the tenant's whole
 * budget list; PUT .../limits replaces every limit) and show its answer, so validation,
 * the key's grants and the audit log are the API's. Nothing is saved until "Save".
 */
import { call, errorMessage } from "../api";
import { h, notice, table, type Child } from "../dom";
import { pct, usd } from "../format";
import type { BudgetView } from "../types";

const SCOPES = ["tenant", "feature", "key"];
const POLICIES = ["block", "downgrade"];
const LIMITS: [string, string][] = [
  ["tenant_requests_per_minute", "Tenant requests per minute"],
  ["tenant_tokens_per_minute", "Tenant tokens per minute"],
  ["key_requests_per_minute", "Per-key requests per minute"],
  ["key_tokens_per_minute", "Per-key tokens per minute"],
];

interface Draft {
  scope: string;
  scopeId: string | null;
  monthly: HTMLInputElement;
  policy: HTMLSelectElement;
  ceiling: HTMLInputElement;
}

const options = (values: string[], selected: string) => values.map((v) => h("option", { value: v, selected: v === selected }, v));
/** A USD field: labelled by aria-label in a table row, by a <label for=id> in a form. */
const money = (label: { aria: string } | { id: string }, value: number | null | undefined) =>
  h("input", { type: "number", min: 0, step: "any", value: value ?? "", ...("id" in label ? { id: label.id } : { "aria-label": label.aria }) });
/** An empty field means "not set" (unlimited, or the API's default ceiling). */
const numberOrNull = (input: HTMLInputElement): number | null => (input.value.trim() === "" ? null : Number(input.value));

function draftOf(b: BudgetView): Draft {
  const of = `${b.scope}${b.scope_id ? ` ${b.scope_id}` : ""}`;
  return {
    scope: b.scope,
    scopeId: b.scope_id || null,
    monthly: money({ aria: `Monthly USD for ${of}` }, b.monthly_usd),
    policy: h("select", { "aria-label": `Policy for ${of}` }, options(POLICIES, b.policy)),
    ceiling: money({ aria: `Ceiling USD for ${of}` }, b.ceiling_usd),
  };
}

function bodyOf(drafts: Draft[]): { budgets: Record<string, unknown>[] } {
  return {
    budgets: drafts.map((d) => {
      const ceiling = numberOrNull(d.ceiling);
      return { scope: d.scope, ...(d.scopeId ? { scope_id: d.scopeId } : {}), monthly_usd: numberOrNull(d.monthly) ?? 0, policy: d.policy.value, ...(ceiling !== null && d.policy.value === "downgrade" ? { ceiling_usd: ceiling } : {}) };
    }),
  };
}

function addForm(onAdd: (b: BudgetView) => void): HTMLFormElement {
  const scope = h("select", { id: "budget-scope", name: "scope" }, options(SCOPES, "feature"));
  const scopeId = h("input", { id: "budget-scope-id", name: "scope_id", placeholder: "feature name or key id" });
  const monthly = money({ id: "budget-monthly" }, null);
  const policy = h("select", { id: "budget-policy", name: "policy" }, options(POLICIES, "block"));
  const form = h(
    "form",
    { class: "controls" },
    h("label", { for: "budget-scope" }, "Scope"), scope,
    h("label", { for: "budget-scope-id" }, "Of"), scopeId,
    h("label", { for: "budget-monthly" }, "Monthly USD"), monthly,
    h("label", { for: "budget-policy" }, "Policy"), policy,
    h("button", { type: "submit" }, "Add budget"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    onAdd({ scope: scope.value, scope_id: scope.value === "tenant" ? null : scopeId.value.trim(), monthly_usd: Number(monthly.value || 0), policy: policy.value, ceiling_usd: null });
    scopeId.value = "";
    monthly.value = "";
  });
  return form;
}

/** The editable budget table, an add form and Save; `spentOf` gives the month's spend of a scope. */
export function budgetEditor(tenantId: string, budgets: BudgetView[], spentOf: (b: Pick<BudgetView, "scope" | "scope_id">) => number): HTMLElement {
  let drafts = budgets.map(draftOf);
  const list = h("div", { id: "budget-list" });
  const status = h("div", { "aria-live": "polite" });
  const draw = (): void => {
    const rows: Child[][] = drafts.map((d, i) => {
      const spent = spentOf({ scope: d.scope, scope_id: d.scopeId });
      const monthly = numberOrNull(d.monthly) ?? 0;
      const remove = h("button", { type: "button", class: "danger", "aria-label": `Remove the ${d.scope}${d.scopeId ? ` ${d.scopeId}` : ""} budget` }, "Remove");
      remove.addEventListener("click", () => {
        drafts = drafts.filter((_, k) => k !== i);
        draw();
      });
      return [d.scope, d.scopeId ?? "—", d.monthly, d.policy, d.ceiling, usd(spent), pct(monthly > 0 ? spent / monthly : null), remove];
    });
    list.replaceChildren(rows.length ? table(["Scope", "Of", "Monthly USD", "Policy", "Ceiling USD (downgrade)", "Spent", "Used", ""], rows) : notice("info", "No budgets: spend is unlimited."));
  };
  const save = h("button", { type: "button" }, "Save budgets");
  save.addEventListener("click", () => {
    // Replace the last outcome first: a stale "saved" must never read as this save's answer.
    status.replaceChildren(notice("info", "Saving…"));
    call<{ budgets: BudgetView[] }>("PUT", `/admin/v1/tenants/${encodeURIComponent(tenantId)}/budget`, bodyOf(drafts)).then(
      (saved) => {
        drafts = saved.budgets.map(draftOf);
        draw();
        status.replaceChildren(notice("ok", "Budgets saved (audited)."));
      },
      (err: unknown) => status.replaceChildren(notice("error", errorMessage(err))),
    );
  });
  draw();
  const add = addForm((b) => {
    drafts = [...drafts, draftOf(b)];
    draw();
    status.replaceChildren(notice("info", "Added: not saved yet."));
  });
  return h("div", {}, list, add, h("p", {}, save), status);
}

/** The rate-limit form: empty = unlimited. */
export function limitsEditor(tenantId: string, limits: Record<string, unknown>): HTMLElement {
  const inputs = LIMITS.map(([name, label]) => {
    const value = limits[name];
    return { name, label, input: h("input", { type: "number", min: 1, step: 1, id: `limit-${name}`, name, value: typeof value === "number" ? value : "", placeholder: "unlimited" }) };
  });
  const failMode = h("select", { id: "limit-fail-mode", name: "limiter_fail_mode" }, options(["closed", "open"], String(limits["limiter_fail_mode"] ?? "closed")));
  const status = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { class: "facts-form" },
    inputs.map(({ name, label, input }) => h("p", {}, h("label", { for: `limit-${name}` }, label), " ", input)),
    h("p", {}, h("label", { for: "limit-fail-mode" }, "When the limiter is unreachable"), " ", failMode),
    h("button", { type: "submit" }, "Save limits"),
    status,
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const body = { ...Object.fromEntries(inputs.map(({ name, input }) => [name, numberOrNull(input)])), limiter_fail_mode: failMode.value };
    status.replaceChildren(notice("info", "Saving…"));
    call("PUT", `/admin/v1/tenants/${encodeURIComponent(tenantId)}/limits`, body).then(
      () => status.replaceChildren(notice("ok", "Limits saved (audited).")),
      (err: unknown) => status.replaceChildren(notice("error", errorMessage(err))),
    );
  });
  return form;
}
