/**
 * One request (GET /v1/requests/{id}): stage timeline, attempts, every decision (route and why,
 * cache and its guards, guardrail findings, prompt, retrieval), judge scores and reasons, cost.
 * Content is whatever the API returned for this key: nothing for viewers, the redacted shape for
 * developer and admin keys, the (PII-redacted) text only with the content:read scope.
 */
import { get } from "../api";
import { h, facts, jsonView, notice, table, type Child } from "../dom";
import { ms, num, usd, when } from "../format";
import type { Page } from "../router";
import type { RequestTrace, StageTiming, TraceContent } from "../types";

/** Decisions shown first, in the order a request meets them; any others follow. */
const DECISION_ORDER = ["prompt", "guardrails", "input", "injection", "retrieval", "cache", "route", "cascade", "output"];

function timeline(stages: StageTiming[], total: number): HTMLElement {
  if (!stages.length) return notice("info", "No stage timings recorded.");
  // Server-Timing stages run one after another; without recorded starts, each starts where the last ended.
  let cursor = 0;
  const placed = stages.map((s) => {
    const start = s.startMs ?? cursor;
    cursor = start + s.durationMs;
    return { ...s, start };
  });
  const end = Math.max(total, cursor, 1);
  const rows = placed.map((s) => {
    const bar = h("span", { class: "bar" });
    // CSSOM, not a style attribute: the CSP allows no inline styles.
    bar.style.marginLeft = `${((s.start / end) * 100).toFixed(2)}%`;
    bar.style.width = `${Math.max(0.5, (s.durationMs / end) * 100).toFixed(2)}%`;
    return h("li", {}, h("span", { class: "stage" }, s.name), h("span", { class: "track" }, bar), h("span", { class: "ms" }, ms(s.durationMs)));
  });
  return h("ol", { class: "timeline", "aria-label": "Stage timeline (Server-Timing)" }, rows);
}

function attempts(list: Record<string, unknown>[]): HTMLElement {
  if (!list.length) return notice("info", "No upstream attempt (answered before the upstream, e.g. from the cache or refused).");
  const columns = [...new Set(list.flatMap((a) => Object.keys(a)))];
  return table(columns, list.map((a) => columns.map((c) => jsonView(a[c]))));
}

function content(c: TraceContent | undefined): Child {
  if (!c) return notice("info", "Content is not shown to this key's role (viewer keys read metadata only).");
  if (c.access === "redacted") return [notice("info", "Shape only: the text needs a key with the content:read scope."), jsonView(c.meta)];
  if (!c.available) return notice("info", "No stored content for this request.");
  return [
    h("ol", { class: "messages" }, (c.messages ?? []).map((m) => h("li", {}, h("strong", {}, m.role), h("pre", {}, m.content)))),
    h("h3", {}, "Response"),
    h("pre", {}, c.response ?? ""),
  ];
}

const short = (v: unknown): string => (typeof v === "number" ? String(Number(v.toPrecision(3))) : v === undefined || v === null ? "—" : String(v));

/** The route decision in one line: where it went and why. */
function routeWhy(route: unknown): Child {
  if (!route || typeof route !== "object") return null;
  const r = route as Record<string, unknown>;
  const band = r["band"] && typeof r["band"] === "object" ? (r["band"] as Record<string, unknown>) : null;
  const parts = [
    `tier ${short(r["tier"])} (${short(r["reason"])})`,
    `complexity ${short(r["complexity"])}${band ? ` vs band below ${short(band["below"])} (${short(band["source"])})` : ""}`,
    `confidence ${short(r["confidence"])}${r["threshold"] !== undefined ? ` vs threshold ${short(r["threshold"])}` : ""}`,
    `escalated: ${r["escalate"] ? "yes" : "no"}`,
    r["cascadeDraftTier"] ? `cascade draft on ${short(r["cascadeDraftTier"])}` : null,
    r["arm"] ? `rollout arm ${short(r["arm"])}` : null,
  ];
  return h("p", { class: "why" }, parts.filter(Boolean).join("; "));
}

function decisions(d: Record<string, unknown>): Child[] {
  const names = Object.keys(d).sort((a, b) => rank(a) - rank(b));
  return names.map((name) => h("section", { class: "decision" }, h("h3", {}, name), name === "route" ? routeWhy(d[name]) : null, jsonView(d[name])));
}

const rank = (name: string): number => {
  const i = DECISION_ORDER.indexOf(name);
  return i === -1 ? DECISION_ORDER.length : i;
};

function evaluation(e: RequestTrace["evaluation"]): Child {
  if (!e) return notice("info", "Not judged (yet): judging runs a few seconds after the answer, on a sample.");
  const { status, scoreMean, judges, checks, ...rest } = e;
  return [
    facts([["Status", status], ["Mean score", num(scoreMean ?? null, 2)]]),
    h("h3", {}, "Judges"),
    jsonView(judges),
    h("h3", {}, "Checks"),
    jsonView(checks),
    jsonView(rest),
  ];
}

export const requestPage: Page = {
  title: "Request",
  async render(ctx) {
    const id = ctx.segments[1] ?? "";
    const t = await get<RequestTrace>(`/v1/requests/${encodeURIComponent(id)}`);
    return [
      h("p", { class: "request-id" }, h("code", {}, t.requestId)),
      facts([
        ["Status", t.errorCode ? `${t.status} ${t.errorCode}` : String(t.status)],
        ["Received", when(t.receivedAt)],
        ["Feature", t.feature ?? "—"],
        ["Model", `${t.model ?? "—"} (tier ${t.tier ?? "—"}, upstream ${t.upstream ?? "—"})`],
        ["Key", t.keyId],
        ["End user", t.endUser ?? "—"],
        ["Latency / TTFT", `${ms(t.latencyMs)} / ${ms(t.ttftMs)}`],
        ["Tokens", `${t.tokens.prompt} prompt, ${t.tokens.completion} completion, ${t.tokens.cached} cached`],
      ]),
      h("h2", {}, "Cost"),
      facts([
        ["Cost", usd(t.cost.usd)],
        ["Price source", t.cost.priceSource],
        ["Had it gone to the default model", usd(t.cost.counterfactualUsd)],
        ["Avoided (cache, routing), net of drafts and shadows", usd(t.cost.avoidedUsd)],
        ["Cascade drafts", usd(t.cost.draftUsd)],
        ["Shadow calls", usd(t.cost.shadowUsd)],
        ["Judging", usd(t.cost.judgeUsd)],
      ]),
      h("h2", {}, "Stages"),
      timeline(t.stages, t.latencyMs),
      h("h2", {}, "Attempts"),
      attempts(t.attempts),
      h("h2", {}, "Decisions"),
      decisions("cache" in t.decisions ? t.decisions : { cache: t.cache, ...t.decisions }),
      h("h2", {}, "Judge scores"),
      evaluation(t.evaluation),
      h("h2", {}, "Content"),
      content(t.content),
    ];
  },
};
