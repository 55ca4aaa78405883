/**
 * Admin: the tenant's keys (POST/GET /admin/v1/tenants/{id}/keys, POST /admin/v1/keys/{id}/rotate,
 * DELETE /admin/v1/keys/{id}). A new or rotated key is shown once, here, and never again: the
 * gateway stores only its hash.
 */
import { call, errorMessage, get } from "../api";
import { h, notice, table } from "../dom";
import { when } from "../format";
import type { Page } from "../router";
import type { KeyView } from "../types";

const ROLES = ["service", "developer", "viewer", "admin"];

function showOnce(box: HTMLElement, title: string, key: string, extra: string): void {
  const value = h("input", { readonly: true, value: key, "aria-label": "New key", class: "secret", id: "new-key" });
  box.replaceChildren(h("div", { class: "notice ok", role: "status" }, h("strong", {}, title), h("p", {}, `Copy it now: it is shown once and cannot be read again. ${extra}`), value));
  value.select();
}

/** How long a rotated key keeps working (the API's grace_seconds; its default is 5 minutes). */
const GRACE: [string, number][] = [["5 minutes", 300], ["1 hour", 3_600], ["1 day", 86_400], ["7 days", 604_800], ["none (revoke now)", 0]];
const grace = (): HTMLSelectElement => h("select", { id: "rotation-grace", name: "grace" }, GRACE.map(([label, s]) => h("option", { value: s }, label)));

const HEADERS = ["Id", "Name", "Role", "Prefix", "Features", "Scopes", "Created", "Expires", "Actions"];

/** The key list and a redraw for after each change; the shown-once box above it is left alone. */
function keyList(tenantId: string, box: HTMLElement, graceSelect: HTMLSelectElement): { list: HTMLElement; redraw: () => Promise<void> } {
  const list = h("div", { id: "key-list" });
  const redraw = async (): Promise<void> => {
    const { data } = await get<{ data: KeyView[] }>(`/admin/v1/tenants/${encodeURIComponent(tenantId)}/keys`);
    const again = () => void redraw().catch((err: unknown) => box.replaceChildren(notice("error", errorMessage(err))));
    list.replaceChildren(table(HEADERS, data.map((k) => [h("code", {}, k.id), k.name ?? "—", k.role, `${k.prefix}…`, (k.features ?? []).join(", ") || "all", k.scopes.join(", ") || "—", when(k.created_at), when(k.expires_at), actions(k, box, again, graceSelect)])));
  };
  return { list, redraw };
}

function createForm(tenantId: string, box: HTMLElement, redraw: () => void): HTMLFormElement {
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
        redraw();
      })
      .catch((err: unknown) => box.replaceChildren(notice("error", errorMessage(err))));
  });
  return form;
}

function actions(k: KeyView, box: HTMLElement, redraw: () => void, graceSelect: HTMLSelectElement): HTMLElement {
  if (k.revoked_at) return h("span", {}, `revoked ${when(k.revoked_at)}`);
  const fail = (err: unknown) => box.replaceChildren(notice("error", errorMessage(err)));
  const rotate = () =>
    call<{ id: string; key: string; old_key_expires_at: number | string | null }>("POST", `/admin/v1/keys/${k.id}/rotate`, { grace_seconds: Number(graceSelect.value) })
      .then((r) => {
        showOnce(box, `Key ${k.id} rotated to ${r.id}.`, r.key, `The old key keeps working until ${when(r.old_key_expires_at)}.`);
        redraw();
      })
      .catch(fail);
  const revoke = () => {
    if (!confirm(`Revoke ${k.id} (${k.name ?? k.prefix})? Calls with it fail at once.`)) return;
    call("DELETE", `/admin/v1/keys/${k.id}`).then(redraw, fail);
  };
  return h("span", { class: "inline" }, h("button", { type: "button", onclick: rotate }, "Rotate"), h("button", { type: "button", class: "danger", onclick: revoke }, "Revoke"));
}

export const keysPage: Page = {
  title: "Keys",
  async render(ctx) {
    const box = h("div", { "aria-live": "polite" });
    const graceSelect = grace();
    const { list, redraw } = keyList(ctx.session.tenantId, box, graceSelect);
    await redraw();
    const again = () => void redraw().catch((err: unknown) => box.replaceChildren(notice("error", errorMessage(err))));
    return [h("h2", {}, "New key"), createForm(ctx.session.tenantId, box, again), box, h("h2", {}, "Keys"), h("p", { class: "controls" }, h("label", { for: "rotation-grace" }, "When rotating, the old key keeps working for "), graceSelect), list];
  },
};
