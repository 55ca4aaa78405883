/**
 * Overview of the tenant (or one feature) over a time range. Spend, volume, errors, cache and
 * tiers come from the hourly rollups (GET /v1/usage); latency and TTFT percentiles over the
 * whole range from the hourly histograms and the mean judge score of the range's evaluations
 * (GET /v1/usage/latency), audited semantic-hit precision from GET /v1/cache/quality, drift
 * alarms (tenant-wide) from GET /v1/drift.
 */
import { get } from "../api";
import { timeChart } from "../chart";
import { h, link, table, type Child } from "../dom";
import { ms, num, pct, ratio, usd } from "../format";
import { go, type Page, type PageContext } from "../router";
import type { CacheQualityReport, DriftReport, LatencySummary, UsageReport, UsageRow } from "../types";

const RANGES: Record<string, number> = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 };

type Totals = Pick<UsageRow, "requests" | "errors" | "cacheHits" | "costUsd" | "inferenceCostUsd" | "costAvoidedUsd" | "costAvoidedCacheUsd" | "costAvoidedRoutingUsd" | "shadowCostUsd" | "draftCostUsd" | "judgeCostUsd" | "judgeCalls">;
const ZERO: Totals = { requests: 0, errors: 0, cacheHits: 0, costUsd: 0, inferenceCostUsd: 0, costAvoidedUsd: 0, costAvoidedCacheUsd: 0, costAvoidedRoutingUsd: 0, shadowCostUsd: 0, draftCostUsd: 0, judgeCostUsd: 0, judgeCalls: 0 };

function sum(rows: UsageRow[]): Totals {
  return rows.reduce<Totals>((t, r) => ({
    requests: t.requests + r.requests, errors: t.errors + r.errors, cacheHits: t.cacheHits + r.cacheHits, costUsd: t.costUsd + r.costUsd,
    inferenceCostUsd: t.inferenceCostUsd + r.inferenceCostUsd, costAvoidedUsd: t.costAvoidedUsd + r.costAvoidedUsd,
    costAvoidedCacheUsd: t.costAvoidedCacheUsd + r.costAvoidedCacheUsd, costAvoidedRoutingUsd: t.costAvoidedRoutingUsd + r.costAvoidedRoutingUsd,
    shadowCostUsd: t.shadowCostUsd + r.shadowCostUsd, draftCostUsd: t.draftCostUsd + r.draftCostUsd, judgeCostUsd: t.judgeCostUsd + r.judgeCostUsd, judgeCalls: t.judgeCalls + r.judgeCalls,
  }), ZERO);
}

const featureName = (f: string | null | undefined): string => f ?? "(none)";

function controls(ctx: PageContext, features: string[]): HTMLElement {
  const range = h("select", { id: "range", name: "range" }, Object.keys(RANGES).map((r) => h("option", { value: r, selected: r === (ctx.params.get("range") ?? "24h") }, `last ${r}`)));
  const feature = h("select", { id: "feature", name: "feature" }, h("option", { value: "" }, "all features"), features.map((f) => h("option", { value: f, selected: f === ctx.params.get("feature") }, f)));
  const apply = () => go("/overview", { range: range.value, feature: feature.value || undefined });
  range.addEventListener("change", apply);
  feature.addEventListener("change", apply);
  return h("form", { class: "controls", onsubmit: (e: Event) => e.preventDefault() }, h("label", { for: "range" }, "Time range"), range, h("label", { for: "feature" }, "Feature"), feature);
}

function driftNote(drift: DriftReport | null): string {
  if (!drift) return "not readable with this key";
  const latest = drift.data.find((d) => d.alarm);
  return latest ? `latest: ${latest.metric} PSI ${latest.psi.toFixed(2)} (${latest.period} of ${latest.windowStart.slice(0, 16)}Z), tenant-wide` : "none in this range, tenant-wide";
}

/** "≥" marks a percentile past the histogram's last bucket (~521 s): a lower bound. */
const estimate = (n: number | null, overflow: boolean): string => (n !== null && overflow ? `≥${ms(n)}` : ms(n));

function kpis(t: Totals, small: number | null, lat: LatencySummary, cache: CacheQualityReport | null, drift: DriftReport | null): HTMLElement {
  const card = (label: string, value: string, note?: string) => h("div", { class: "kpi" }, h("dt", {}, label), h("dd", { "data-kpi": label }, value), note ? h("dd", { class: "note" }, note) : null);
  const l = lat.latencyMs;
  const f = lat.ttftMs;
  return h(
    "dl",
    { class: "kpis" },
    card("Cost", usd(t.costUsd), `inference ${usd(t.inferenceCostUsd)}`),
    card("Cost avoided", usd(t.costAvoidedUsd), "against all-frontier, net of drafts and shadow calls"),
    card("Avoided by cache", usd(t.costAvoidedCacheUsd), "answers the cache served"),
    card("Avoided by routing", usd(t.costAvoidedRoutingUsd), "cheaper tiers than frontier, less escalated drafts"),
    card("Shadow calls", usd(t.shadowCostUsd), "router quality monitoring, netted from cost avoided"),
    card("Judge cost", usd(t.judgeCostUsd), `${t.judgeCalls} judge calls`),
    card("Requests", String(t.requests)),
    card("Error rate", pct(ratio(t.errors, t.requests)), `${t.errors} errors`),
    card("Latency p50 / p95 / p99", `${estimate(l.p50, l.overflow)} / ${estimate(l.p95, l.overflow)} / ${estimate(l.p99, l.overflow)}`, `${l.count} requests, whole range (histogram estimate, within 25%)`),
    card("Time to first token p50 / p95", `${estimate(f.p50, f.overflow)} / ${estimate(f.p95, f.overflow)}`, `${f.count} streamed`),
    card("Small-tier share", pct(small)),
    card("Cache hit rate", pct(ratio(t.cacheHits, t.requests)), `${t.cacheHits} hits`),
    card("Audited semantic-hit precision", pct(cache?.precision), cache ? `${cache.audited} audited` : "no access"),
    card("Mean judge score", num(lat.judge.meanScore, 2), `${lat.judge.judged} judged in the range`),
    card("Drift alarms", drift ? String(drift.alarms) : "—", driftNote(drift)),
  );
}

function hourlyChart(rows: UsageRow[], from: number, to: number): HTMLElement | null {
  const byHour = new Map<number, Totals>();
  for (const r of rows) {
    if (!r.hour) continue;
    const t = Date.parse(r.hour) / 1000;
    byHour.set(t, sum([{ ...(byHour.get(t) ?? ZERO), avgLatencyMs: null }, r]));
  }
  if (!byHour.size) return null;
  // Every hour of the range, empty ones as zeros, so the lines show quiet hours too.
  const hours: number[] = [];
  for (let t = Math.floor(from / 3_600_000) * 3_600; t < to / 1000; t += 3_600) hours.push(t);
  const at = (f: (t: Totals) => number) => hours.map((x) => f(byHour.get(x) ?? ZERO));
  return timeChart("Requests, errors and cost per hour", hours, [
    { label: "requests", values: at((t) => t.requests), color: "#1d4ed8" },
    { label: "errors", values: at((t) => t.errors), color: "#b91c1c" },
    { label: "cost (USD)", values: at((t) => t.costUsd), color: "#047857", right: true },
  ], [from / 1000, to / 1000]);
}

function featureTable(byFeature: UsageRow[], byTier: UsageRow[], range: string): HTMLElement {
  const rows: Child[][] = byFeature.map((r) => {
    const tiers = byTier.filter((t) => t.feature === r.feature);
    const small = ratio(sum(tiers.filter((t) => t.tier === "small")).requests, sum(tiers).requests);
    return [link(`/overview?range=${range}&feature=${encodeURIComponent(r.feature ?? "")}`, featureName(r.feature)), r.requests, pct(ratio(r.errors, r.requests)), usd(r.costUsd), usd(r.costAvoidedCacheUsd), usd(r.costAvoidedRoutingUsd), usd(r.judgeCostUsd), pct(ratio(r.cacheHits, r.requests)), pct(small), ms(r.avgLatencyMs)];
  });
  return table(["Feature", "Requests", "Error rate", "Cost", "Avoided by cache", "Avoided by routing", "Judge cost", "Cache hits", "Small tier", "Mean latency"], rows, "Per feature");
}

export const overviewPage: Page = {
  title: "Overview",
  async render(ctx) {
    const rangeName = RANGES[ctx.params.get("range") ?? ""] ? (ctx.params.get("range") as string) : "24h";
    const to = Date.now();
    const from = to - (RANGES[rangeName] ?? RANGES["24h"]!);
    const feature = ctx.params.get("feature") || undefined;
    const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const inFeature = (rows: UsageRow[]) => (feature ? rows.filter((r) => r.feature === feature) : rows);
    const [byFeature, byHour, byTier, cache, drift, latency] = await Promise.all([
      get<UsageReport>("/v1/usage", { ...range, group_by: "feature" }),
      get<UsageReport>("/v1/usage", { ...range, group_by: "hour,feature" }),
      get<UsageReport>("/v1/usage", { ...range, group_by: "feature,tier" }),
      get<CacheQualityReport>("/v1/cache/quality", { feature, since: range.from }).catch(() => null),
      get<DriftReport>("/v1/drift", { ...range, alarms: "true" }).catch(() => null),
      get<LatencySummary>("/v1/usage/latency", { ...range, feature }),
    ]);
    const tiers = inFeature(byTier.rows);
    const small = ratio(sum(tiers.filter((t) => t.tier === "small")).requests, sum(tiers).requests);
    const features = byFeature.rows.flatMap((r) => (r.feature ? [r.feature] : []));
    return [
      controls(ctx, features),
      h("p", { class: "scope" }, `Tenant ${byFeature.tenantId}${feature ? `, feature ${feature}` : ", all features"}, ${range.from} to ${range.to}.`),
      kpis(sum(inFeature(byFeature.rows)), small, latency, cache, drift),
      hourlyChart(inFeature(byHour.rows), from, to),
      featureTable(inFeature(byFeature.rows), byTier.rows, rangeName),
      h("p", {}, link(`/requests?from=${encodeURIComponent(range.from)}${feature ? `&feature=${encodeURIComponent(feature)}` : ""}`, "These requests in the trace explorer")),
    ];
  },
};
