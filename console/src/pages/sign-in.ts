/**
 * Sign in with an API key: the key is checked against GET /v1/usage (developer, viewer and
 * admin keys read it; a service key is refused with the API's own 403), and the admin API is
 * probed once to decide whether to show the admin pages.
 */
import { ApiError, call, errorMessage } from "../api";
import { h, notice } from "../dom";
import { go } from "../router";
import { saveSession } from "../session";
import type { UsageReport } from "../types";

async function verify(key: string): Promise<{ tenantId: string; admin: boolean }> {
  const usage = await call<UsageReport>("GET", "/v1/usage?group_by=", undefined, key);
  const admin = await call("GET", `/admin/v1/tenants/${encodeURIComponent(usage.tenantId)}/keys`, undefined, key).then(
    () => true,
    () => false,
  );
  return { tenantId: usage.tenantId, admin };
}

export async function signInPage(): Promise<HTMLElement> {
  const status = h("div", { "aria-live": "polite" });
  const input = h("input", { id: "api-key", name: "api-key", type: "password", autocomplete: "off", required: true, spellcheck: "false", placeholder: "gw_…" });
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const key = input.value.trim();
    status.replaceChildren(notice("info", "Checking the key…"));
    try {
      const { tenantId, admin } = await verify(key);
      saveSession({ key, tenantId, admin });
      input.value = "";
      go("/overview");
    } catch (err) {
      const message = err instanceof ApiError && err.status === 403 ? `${err.message} The console needs a developer, viewer or admin key.` : errorMessage(err);
      status.replaceChildren(notice("error", message));
    }
  };
  return h(
    "section",
    { class: "sign-in" },
    h("h1", {}, "LLM gateway console"),
    h("p", {}, "Sign in with an API key. What you see, and what is masked, is exactly what the key may read through the API. The key stays in this tab (session storage) and is sent only to this gateway."),
    h("form", { onsubmit: (e: Event) => void onSubmit(e) }, h("label", { for: "api-key" }, "API key"), input, h("button", { type: "submit" }, "Sign in")),
    status,
  );
}
