/** Trace explorer: GET /v1/requests with the form's filters, newest first, paged by cursor. */
import { get, type Page as ApiPage } from "../api";
import { h, link, notice, table } from "../dom";
import { ms, num, usd, when } from "../format";
import { go, routeHref, type Page } from "../router";
import type { RequestSummary } from "../types";

const FILTERS = ["feature", "status", "model", "tier", "cache", "promptId", "from", "to"] as const;

function field(name: string, label: string, value: string, attrs: Record<string, string> = {}): HTMLElement[] {
  return [h("label", { for: `q-${name}` }, label), h("input", { id: `q-${name}`, name, value, ...attrs })];
}

function searchForm(params: URLSearchParams): HTMLFormElement {
  const form = h(
    "form",
    { class: "search", role: "search" },
    field("id", "Request id", "", { placeholder: "exact id" }),
    field("feature", "Feature", params.get("feature") ?? ""),
    field("status", "Status", params.get("status") ?? "", { placeholder: "ok, error or 429" }),
    field("model", "Model", params.get("model") ?? ""),
    field("tier", "Tier", params.get("tier") ?? ""),
    h("label", { for: "q-cache" }, "Cache"),
    h("select", { id: "q-cache", name: "cache" }, ["", "hit-exact", "hit-semantic", "miss", "bypass", "off"].map((v) => h("option", { value: v, selected: v === (params.get("cache") ?? "") }, v || "any"))),
    field("promptId", "Prompt", params.get("promptId") ?? ""),
    field("from", "From", params.get("from") ?? "", { placeholder: "ISO time, default 24 h ago" }),
    field("to", "To", params.get("to") ?? "", { placeholder: "ISO time, default now" }),
    h("button", { type: "submit" }, "Search"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const id = String(data.get("id") ?? "").trim();
    if (id) return go(`/requests/${encodeURIComponent(id)}`);
    go("/requests", Object.fromEntries(FILTERS.map((k) => [k, String(data.get(k) ?? "").trim() || undefined])));
  });
  return form;
}

const statusText = (r: RequestSummary) => (r.status < 400 ? String(r.status) : `${r.status} ${r.errorCode ?? ""}`.trim());

export const requestsPage: Page = {
  title: "Requests",
  async render(ctx) {
    const query = Object.fromEntries(FILTERS.map((k) => [k, ctx.params.get(k) ?? undefined]));
    const page = await get<ApiPage<RequestSummary>>("/v1/requests", { ...query, limit: 50, cursor: ctx.params.get("cursor") ?? undefined });
    const rows = page.data.map((r) => [
      link(`/requests/${encodeURIComponent(r.requestId)}`, r.requestId),
      when(r.completedAt), r.feature ?? "—", r.model ?? "—", r.tier ?? "—", statusText(r), r.cacheStatus, ms(r.latencyMs), usd(r.costUsd),
      r.evaluation ? num(r.evaluation.scoreMean, 2) : "—",
    ]);
    return [
      searchForm(ctx.params),
      rows.length ? table(["Request", "Completed", "Feature", "Model", "Tier", "Status", "Cache", "Latency", "Cost", "Judge score"], rows, `${rows.length} requests, newest first`) : notice("info", "No requests match (requests appear a few seconds after they complete)."),
      page.has_more && page.next_cursor ? h("p", {}, h("a", { href: routeHref("/requests", { ...query, cursor: page.next_cursor }) }, "Older requests")) : null,
    ];
  },
};
