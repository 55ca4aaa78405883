/**
 * The console: a static page whose script renders each #/ route from the gateway's REST API,
 * called with the signed-in key. Navigation is shown once signed in; admin pages only to keys
 * the admin API answered at sign-in (the API checks every call anyway).
 */
import "uplot/dist/uPlot.min.css";
import "./console.css";
import { ApiError, errorMessage } from "./api";
import { h, link, mount, notice, type Child } from "./dom";
import { currentRoute, go, type Page } from "./router";
import { clearSession, currentSession, type Session } from "./session";
import { signInPage } from "./pages/sign-in";
import { overviewPage } from "./pages/overview";
import { requestsPage } from "./pages/requests";
import { requestPage } from "./pages/request";
import { rolloutPage } from "./pages/rollout";
import { promptsPage, promptPage } from "./pages/prompts";
import { keysPage } from "./pages/admin-keys";
import { budgetsPage } from "./pages/admin-budgets";
import { settingsPage } from "./pages/admin-settings";

function pageFor(segments: string[]): Page | null {
  const [first, second, third] = segments;
  if (first === "overview" || first === undefined) return overviewPage;
  if (first === "requests") return second ? requestPage : requestsPage;
  if (first === "prompts") return second ? promptPage : promptsPage;
  if (first === "rollout") return rolloutPage;
  if (first === "admin" && !third) return second === "keys" ? keysPage : second === "budgets" ? budgetsPage : second === "settings" ? settingsPage : null;
  return null;
}

function nav(session: Session, active: string): HTMLElement {
  const item = (route: string, label: string) => h("li", {}, h("a", { href: `#${route}`, "aria-current": active === route ? "page" : undefined }, label));
  return h(
    "nav",
    { "aria-label": "Console" },
    h(
      "ul",
      {},
      item("/overview", "Overview"),
      item("/requests", "Requests"),
      item("/prompts", "Prompts"),
      item("/rollout", "Router rollout"),
      session.admin ? [item("/admin/keys", "Keys"), item("/admin/budgets", "Budgets & limits"), item("/admin/settings", "Settings")] : null,
    ),
    h("span", { class: "who" }, `Tenant ${session.tenantId}`),
    h("button", { type: "button", class: "link", onclick: () => signOut() }, "Sign out"),
  );
}

function signOut(): void {
  clearSession();
  go("/sign-in");
}

async function render(): Promise<void> {
  const header = document.getElementById("nav");
  const main = document.getElementById("main");
  if (!header || !main) return;
  const route = currentRoute();
  const session = currentSession();
  if (!session || route.segments[0] === "sign-in") {
    mount(header);
    document.title = "Sign in · LLM gateway console";
    mount(main, await signInPage());
    return;
  }
  const page = pageFor(route.segments);
  const active = `/${route.segments.slice(0, route.segments[0] === "admin" ? 2 : 1).join("/") || "overview"}`;
  mount(header, nav(session, active));
  if (!page) {
    mount(main, h("h1", {}, "Not found"), notice("error", "No such console page. ", link("/overview", "Go to the overview")));
    return;
  }
  document.title = `${page.title} · LLM gateway console`;
  mount(main, h("h1", {}, page.title), notice("info", "Loading…"));
  let body: Child;
  try {
    body = await page.render({ ...route, session });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return signOut();
    body = notice("error", errorMessage(err));
  }
  // A newer navigation may have started while this page loaded.
  if (currentRoute().segments.join("/") !== route.segments.join("/")) return;
  mount(main, h("h1", { tabindex: "-1" }, page.title), body);
}

window.addEventListener("hashchange", () => void render());
void render();
