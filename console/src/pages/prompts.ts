/**
 * Prompts: the list, and per prompt its labels (with one-click rollback: move the label back to
 * the version it named before), versions side by side on cost, latency, judge score and
 * escalation (GET /v1/prompts/{id}/compare), and two versions' templates next to each other.
 */
import { call, errorMessage, get, type Page as ApiPage } from "../api";
import { h, link, mount, notice, table, type Child } from "../dom";
import { ms, num, pct, usd, when } from "../format";
import type { Page, PageContext } from "../router";
import type { Prompt, PromptLabel, PromptVersion, VersionComparison } from "../types";

export const promptsPage: Page = {
  title: "Prompts",
  async render() {
    const list = await get<ApiPage<Prompt>>("/v1/prompts", { limit: 100 });
    if (!list.data.length) return notice("info", "No prompts yet: create one with POST /v1/prompts (docs/prompts.md).");
    return table(
      ["Prompt", "Feature", "Latest version", "Labels", "Updated"],
      list.data.map((p) => [link(`/prompts/${encodeURIComponent(p.id)}`, p.id), p.feature ?? "—", p.latestVersion, p.labels.map((l) => `${l.label} → v${l.version}`).join(", ") || "—", when(p.updatedAt)]),
    );
  },
};

function labelRow(prompt: Prompt, l: PromptLabel, status: HTMLElement): Child[] {
  const move = async (version: number) => {
    status.replaceChildren(notice("info", `Moving ${l.label} to v${version}…`));
    try {
      await call("POST", `/v1/prompts/${encodeURIComponent(prompt.id)}/labels/${encodeURIComponent(l.label)}`, { version });
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (err) {
      status.replaceChildren(notice("error", errorMessage(err)));
    }
  };
  const rollback = l.previousVersion !== null ? h("button", { type: "button", onclick: () => void move(l.previousVersion as number) }, `Roll back to v${l.previousVersion}`) : "—";
  const picker = h("select", { "aria-label": `Version for ${l.label}` }, Array.from({ length: prompt.latestVersion }, (_, i) => i + 1).map((v) => h("option", { value: v, selected: v === l.version }, `v${v}`)));
  const moveButton = h("button", { type: "button", onclick: () => void move(Number(picker.value)) }, "Move");
  return [h("strong", {}, l.label), `v${l.version}`, l.previousVersion !== null ? `v${l.previousVersion}` : "—", `${when(l.updatedAt)} by ${l.updatedBy}`, rollback, h("span", { class: "inline" }, picker, moveButton)];
}

function comparison(rows: VersionComparison[]): Child {
  if (!rows.length) return notice("info", "No traffic with this prompt in the last 7 days.");
  return table(
    ["Version", "Requests", "Error rate", "Cost / request", "Judge cost", "Latency p50 / p95", "Mean TTFT", "Judge score", "Escalation rate"],
    rows.map((v) => [`v${v.version}`, v.requests, pct(v.errorRate), usd(v.costPerRequestUsd), usd(v.judgeCostUsd), `${ms(v.latencyMs.p50)} / ${ms(v.latencyMs.p95)}`, ms(v.ttftMsMean), `${num(v.judgeScoreMean, 2)} (${v.judged})`, pct(v.escalationRate)]),
    "Versions side by side, last 7 days",
  );
}

function templates(versions: PromptVersion[], ctx: PageContext): Child {
  const pick = (name: string, fallback: number | undefined) => versions.find((v) => v.version === Number(ctx.params.get(name) ?? fallback)) ?? null;
  const left = pick("a", versions[1]?.version);
  const right = pick("b", versions[0]?.version);
  const column = (v: PromptVersion | null) =>
    v ? h("div", { class: "template" }, h("h3", {}, `v${v.version}${v.note ? `: ${v.note}` : ""}`), v.messages.map((m) => [h("strong", {}, m.role), h("pre", {}, m.content)]), h("p", {}, `Variables: ${v.variables.map((x) => x.name).join(", ") || "none"}`)) : h("div", {}, "—");
  const links = versions.map((v) => link(`/prompts/${encodeURIComponent(v.promptId)}?a=${left?.version ?? v.version}&b=${v.version}`, `v${v.version}`));
  return [h("p", {}, "Compare with: ", links.flatMap((l, i) => (i ? [" ", l] : [l]))), h("div", { class: "side-by-side" }, column(left), column(right))];
}

export const promptPage: Page = {
  title: "Prompt",
  async render(ctx) {
    const id = encodeURIComponent(ctx.segments[1] ?? "");
    const [prompt, versions, compare] = await Promise.all([
      get<Prompt>(`/v1/prompts/${id}`),
      get<ApiPage<PromptVersion>>(`/v1/prompts/${id}/versions`, { limit: 100 }),
      get<{ versions: VersionComparison[] }>(`/v1/prompts/${id}/compare`),
    ]);
    const status = h("div", { "aria-live": "polite" });
    const labels = prompt.labels.length ? table(["Label", "Version", "Before", "Moved", "Rollback", "Move to"], prompt.labels.map((l) => labelRow(prompt, l, status)), "Labels") : notice("info", "No labels.");
    const body = h("div", {});
    mount(body, h("p", {}, `${prompt.id}${prompt.description ? `: ${prompt.description}` : ""} (feature ${prompt.feature ?? "any"}, latest v${prompt.latestVersion})`), status, labels, h("h2", {}, "Versions compared"), comparison(compare.versions), h("h2", {}, "Templates"), templates(versions.data, ctx));
    return body;
  },
};
