/**
 * bench:replay's quality-target `auto` tenant (router.qualityTarget), warmed up label-free on
 * other prompts than the ones it is measured on: the rows are split in two by a hash of the
 * prompt; tenant A first sends fold 0 (warm-up), tenant B fold 1; the evaluator's hourly job is
 * run, which publishes each tenant's complexity histogram; then A is measured on fold 1 and B on
 * fold 0, each with the band derived from the other half's traffic. Only complexities are used
 * (no correctness label), as in production, where yesterday's traffic sets today's band.
 * Each fold is measured twice from the same published histogram: with the default net loss
 * estimate (the model's win curve credits the small tier's wins), and under a feature whose
 * settings ask for the upper bound (the policy before the win curve); that feature has no
 * traffic of its own, so its band comes from the tenant's window, which is the same warm-up.
 * The label-free curves re-derive the band the same way for other targets from the recorded
 * complexities (same code as the gateway: derive-band.ts).
 */
import type { SingleBar } from "cli-progress";
import { verifierFold } from "../../scripts/cascade/lib/verifier-folds";
import { qualityTargetBand, type LossEstimate } from "../../workers/gateway/src/router/quality-target/derive-band";
import { summaryOf } from "../../shared/router-traffic/traffic-summary";
import { TRAFFIC_TTL_MS } from "../../workers/gateway/src/router/quality-target/traffic-store";
import type { WinCurve } from "../../workers/gateway/src/router/quality-target/win-curve";
import { DEFAULT_ROUTER_SETTINGS } from "../../workers/gateway/src/router/settings";
import type { Stack } from "../../test/harness/stack";
import { summarise, type Point, type RowFacts } from "./curve";
import { createTenant, ledgerSettled, REPLAY_FEATURE, replay, type Served, type Tenant } from "./tenants";

/** The feature whose settings ask for the loss's upper bound (qualityEstimate "upper_bound"). */
export const UPPER_BOUND_FEATURE = "replay-upper-bound";

export const foldOf = (prompt: string): number => verifierFold(`quality-target:${prompt}`, 2);

/** What the gateway would need before the derived band replaces the static one (the default, or a third of the rows for --limit runs). */
export const minRequestsFor = (rows: number): number => Math.min(DEFAULT_ROUTER_SETTINGS.qualityMinRequests, Math.floor(rows / 3));

export interface QualityTargetRun {
  tenants: [Tenant, Tenant];
  /** Row order; each row served by the tenant that warmed up on the other fold. */
  served: Served[];
  warmupRequests: number;
}

/** Creates the two fold tenants and sends each its warm-up half; returns when the ledger has them. */
export async function warmUp(stack: Stack, label: string, target: number, prompts: readonly string[], concurrency: number, bar: SingleBar): Promise<[Tenant, Tenant]> {
  const router = { qualityTarget: target, qualityMinRequests: minRequestsFor(prompts.length), perFeature: { [UPPER_BOUND_FEATURE]: { qualityEstimate: "upper_bound" } } };
  const tenants: [Tenant, Tenant] = [await createTenant(stack, { label: `${label} A`, model: "auto", router }), await createTenant(stack, { label: `${label} B`, model: "auto", router })];
  for (const [f, t] of tenants.entries()) {
    bar.update({ tenant: `${t.label} (warm-up)` });
    const half = prompts.filter((p) => foldOf(p) === f);
    await replay(stack, t, half, concurrency, bar);
    await ledgerSettled(stack, t.tenantId, half.length);
  }
  return tenants;
}

/** The evaluator's hourly job, now: histograms and the published windows. Returns when it ran. */
export async function publishTraffic(stack: Stack): Promise<number> {
  const evaluator = await stack.mf.getWorker("");
  await evaluator.scheduled({ cron: "7 * * * *", scheduledTime: new Date() });
  return Date.now();
}

/** Resolves once a gateway's cached read of the published traffic (taken during the warm-up) has expired. */
export async function trafficCacheExpired(publishedAt: number): Promise<void> {
  const wait = publishedAt + TRAFFIC_TTL_MS + 1_000 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

/** Measures each fold on the tenant that warmed up on the other one, once the gateways' traffic caches have expired. */
export async function measure(stack: Stack, tenants: [Tenant, Tenant], prompts: readonly string[], publishedAt: number, concurrency: number, bar: SingleBar, feature = REPLAY_FEATURE): Promise<Served[]> {
  await trafficCacheExpired(publishedAt);
  const out = new Array<Served>(prompts.length);
  for (const [f, t] of tenants.entries()) {
    bar.update({ tenant: `${t.label} (${feature})` });
    const idx = prompts.map((_, i) => i).filter((i) => foldOf(prompts[i]!) !== f);
    const served = await replay(stack, t, idx.map((i) => prompts[i]!), concurrency, bar, feature);
    idx.forEach((i, k) => (out[i] = served[k]!));
  }
  return out;
}

export interface TargetPoint extends Point {
  /** The band each fold was served with (derived from the other fold's complexities). */
  bands: number[];
  /** What the derivation predicted (mean over folds): the share of all-frontier quality kept. */
  predictedQuality: number;
}

/** Label-free bands for each target, cross-fitted by fold as in the measured run; static band where a fold is too small. */
export function qualityTargetCurve(rows: readonly RowFacts[], prompts: readonly string[], targets: readonly number[], estimate: LossEstimate, winCurve?: WinCurve): TargetPoint[] {
  const fold = prompts.map(foldOf);
  const staticBand = DEFAULT_ROUTER_SETTINGS.bands[0]!.below;
  const s = DEFAULT_ROUTER_SETTINGS;
  return targets.map((target) => {
    const derived = [0, 1].map((g) => {
      const other = rows.flatMap((r, i) => (fold[i] !== g && r.complexity !== null ? [r.complexity] : []));
      return qualityTargetBand(summaryOf(other), { target, frontierTier: "frontier", min: s.qualityBandMin, max: s.qualityBandMax, minRequests: minRequestsFor(rows.length), estimate, ...(winCurve ? { winCurve } : {}) });
    });
    const bands = derived.map((d) => d?.below ?? staticBand);
    const foldOfRow = new Map(rows.map((r, i) => [r, fold[i]!] as const));
    const point = summarise(rows, target, (r) => {
      const small = r.complexity !== null && r.complexity < bands[foldOfRow.get(r)!]!;
      return { small, frontier: !small };
    });
    const predictedQuality = derived.reduce((a, d) => a + (d?.predictedQuality ?? 1), 0) / derived.length;
    return { ...point, bands, predictedQuality };
  });
}
