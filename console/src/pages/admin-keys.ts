/**
 * Admin: the tenant's keys (POST/GET /admin/v1/tenants/{id}/keys, POST /admin/v1/keys/{id}/rotate,
 * DELETE /admin/v1/keys/{id}). A new or rotated key is shown once, here, and never again: the
 * gateway stores only its hash.
 */
import { call, get } from "../api";
import { h, notice, table } from "../dom";
import { when } from "../format";
import type { Page } from "../router";
import type { KeyView } from "../types";

const ROLES = ["service", "developer", "viewer", "admin"];
const refresh = () => window.dispatchEvent(new HashChangeEvent("hashchange"));

function showOnce(box: HTMLElement, title: string, key: string, extra: string): void {
  const value = h("input", { readonly: true, value: key, "aria-label": "New key", class: "secret", id: "new-key" });
  box.replaceChildren(h("div", { class: "notice ok", role: "status" }, h("strong", {}, title), h("p", {}, `Copy it now: it is shown once and cannot be read again. ${extra}`), value));
  value.select();
}

function createForm(tenantId: string, box: HTMLElement): HTMLFormElement {
  const name = h("input", { id: "key-name", name: "name", maxlength: 100 });
  const role = h("select", { id: "key-role", name: "role" }, ROLES.map((r) => h("option", { value: r }, r)));
  const features = h("input", { id: "key-features", name: "features", placeholder: "comma-separated; empty = all" });
  const form = h("form", { class: "controls" }, h("label", { for: "key-name" }, "Name"), name, h("label", { for: "key-role" }, "Role"), role, h("label", { for: "key-features" }, "Features"), features, h("button", { type: "submit" }, "Create key"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const list = features.value.split(",").map((f) => f.trim()).filter(Boolean);
    call<{ id: string; key: string }>("POST", `/admin/v1/tenants/${encodeURIComponent(tenantId)}/keys`, { role: role.value, ...(name.value ? { name: name.value } : {}), ...(list.length ? { features: list } : {}) })
      .then((created) => {
        showOnce(box, `Key ${created.id} created.`, created.key, "");
        document.getElementById("key-list")?.replaceChildren(notice("info", "Reload the page to see it in the list."));
      })
      .catch((err: unknown) => box.replaceChildren(notice("error", err instanceof Error ? err.message : String(err))));
  });
  return form;
}

function actions(k: KeyView, box: HTMLElement): HTMLElement {
  if (k.revoked_at) return h("span", {}, `revoked ${when(k.revoked_at)}`);
  const fail = (err: unknown) => box.replaceChildren(notice("error", err instanceof Error ? err.message : String(err)));
  const rotate = () =>
    call<{ id: string; key: string; old_key_expires_at: number | string | null }>("POST", `/admin/v1/keys/${k.id}/rotate`, {})
      .then((r) => showOnce(box, `Key ${k.id} rotated to ${r.id}.`, r.key, `The old key keeps working until ${when(r.old_key_expires_at)}.`))
      .catch(fail);
  const revoke = () => {
    if (!confirm(`Revoke ${k.id} (${k.name ?? k.prefix})? Calls with it fail at once.`)) return;
    call("DELETE", `/admin/v1/keys/${k.id}`).then(refresh, fail);
  };
  return h("span", { class: "inline" }, h("button", { type: "button", onclick: rotate }, "Rotate"), h("button", { type: "button", class: "danger", onclick: revoke }, "Revoke"));
}

export const keysPage: Page = {
  title: "Keys",
  async render(ctx) {
    const { data } = await get<{ data: KeyView[] }>(`/admin/v1/tenants/${encodeURIComponent(ctx.session.tenantId)}/keys`);
    const box = h("div", { "aria-live": "polite" });
    const rows = data.map((k) => [h("code", {}, k.id), k.name ?? "—", k.role, `${k.prefix}…`, (k.features ?? []).join(", ") || "all", k.scopes.join(", ") || "—", when(k.created_at), when(k.expires_at), actions(k, box)]);
    return [
      h("h2", {}, "New key"),
      createForm(ctx.session.tenantId, box),
      box,
      h("h2", {}, "Keys"),
      h("div", { id: "key-list" }, table(["Id", "Name", "Role", "Prefix", "Features", "Scopes", "Created", "Expires", "Actions"], rows)),
    ];
  },
};
