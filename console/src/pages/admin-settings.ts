/**
 * Admin: per-feature settings (GET/PUT /admin/v1/tenants/{id}/settings?feature=): the layers
 * and the effective result, and the feature's own layer edited as JSON (the API validates it
 * merged over the tenant-wide layer and answers a 400 naming the field).
 */
import { call, errorMessage, get } from "../api";
import { h, jsonView, notice } from "../dom";
import { go, type Page } from "../router";

interface SettingsView {
  feature: string | null;
  layers: Record<string, unknown>[];
  effective: unknown;
}

export const settingsPage: Page = {
  title: "Settings",
  async render(ctx) {
    const feature = ctx.params.get("feature") || undefined;
    const path = `/admin/v1/tenants/${encodeURIComponent(ctx.session.tenantId)}/settings`;
    const view = await get<SettingsView>(path, { feature });
    const own = feature ? view.layers[1] : view.layers[0];
    const picker = h("input", { id: "settings-feature", name: "feature", value: feature ?? "", placeholder: "empty = tenant-wide" });
    const pick = h("form", { class: "controls" }, h("label", { for: "settings-feature" }, "Feature"), picker, h("button", { type: "submit" }, "Show"));
    pick.addEventListener("submit", (e) => {
      e.preventDefault();
      go("/admin/settings", { feature: picker.value.trim() || undefined });
    });
    const editor = h("textarea", { id: "settings-json", rows: 12, cols: 80, spellcheck: "false" });
    editor.value = JSON.stringify(own ?? {}, null, 2);
    const status = h("div", { "aria-live": "polite" });
    const save = h("form", {}, h("label", { for: "settings-json" }, feature ? `Layer of feature ${feature}` : "Tenant-wide layer"), editor, h("button", { type: "submit" }, "Save"), status);
    save.addEventListener("submit", (e) => {
      e.preventDefault();
      let body: unknown;
      try {
        body = JSON.parse(editor.value);
      } catch {
        status.replaceChildren(notice("error", "Not valid JSON."));
        return;
      }
      const url = feature ? `${path}?feature=${encodeURIComponent(feature)}` : path;
      status.replaceChildren(notice("info", "Saving…"));
      call("PUT", url, body).then(
        () => status.replaceChildren(notice("ok", "Saved (audited).")),
        (err: unknown) => status.replaceChildren(notice("error", errorMessage(err))),
      );
    });
    return [pick, h("h2", {}, "Edit"), save, h("h2", {}, "Effective settings"), jsonView(view.effective)];
  },
};
