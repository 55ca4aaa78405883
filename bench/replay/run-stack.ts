/**
 * One bench:replay stack: the gateway (bench build: held-out verifier folds, optionally another
 * router file) and the evaluator in workerd, every tenant's traffic, and what the ledger says.
 * The quality-target tenants warm up first, so the published traffic has aged past the
 * gateway's cache while the other tenants run.
 */
import cliProgress from "cli-progress";
import type { Gsm8kRecord } from "../../scripts/cascade/lib/draft-rows";
import { startStack, type Stack } from "../../test/harness/stack";
import type { TenantResult } from "./report";
import type { WinCurve } from "../../workers/gateway/src/router/quality-target/win-curve";
import { foldOf, measure, publishTraffic, UPPER_BOUND_FEATURE, warmUp } from "./quality-target";
import { createTenant, ledgerCosts, ledgerSettled, replay, usageCost, type Served, type Tenant, type TenantSpec } from "./tenants";

export interface RouterBuild {
  /** "shipped" or the bench-only leave-GSM8K-out build. */
  kind: "shipped" | "lodo";
  version: string;
  trainedOnRows: boolean;
  /** The .onnx bytes (base64) for a build other than the shipped one. */
  modelBase64?: string;
  /** Its manifest's win curve (the quality target's net loss); the shipped build's is in the bundle. */
  winCurve?: WinCurve;
}

export interface StackOptions {
  rows: readonly Gsm8kRecord[];
  verifierFoldsJson: string;
  router: RouterBuild;
  /** all-frontier and all-small (their per-row costs feed every curve); skipped when another stack measured them. */
  baselines: boolean;
  target: number;
  concurrency: number;
}

export const QUALITY_TARGET_LABEL = "auto, quality target";
/** The same tenants and published histogram, under the feature that asks for the loss's upper bound (the old policy). */
export const QUALITY_TARGET_BOUND_LABEL = "auto, quality target, upper bound";

export interface StackRun {
  router: RouterBuild;
  /** Measured tenants by label (all-frontier, all-small, auto, auto + cascade, quality target). */
  results: Map<string, TenantResult>;
  served: Map<string, Served[]>;
  /** Ledger cost per request id of the all-small and all-frontier tenants (baselines only). */
  costs: { small: Map<string, number>; frontier: Map<string, number> } | null;
}

const ROUTED: TenantSpec[] = [
  { label: "auto", model: "auto" },
  { label: "auto + cascade", model: "auto", router: { cascade: true } },
];
const BASELINES: TenantSpec[] = [
  { label: "all-frontier", model: "frontier-sim" },
  { label: "all-small", model: "small-sim" },
];

function result(label: string, served: readonly Served[], rows: readonly Gsm8kRecord[], costUsd: number): TenantResult {
  const correct = served.filter((s, i) => (s.tier === "small" ? rows[i]!.smallOk : s.tier === "frontier" ? rows[i]!.frontierOk : false)).length;
  return { label, correct, rows: rows.length, frontierShare: served.filter((s) => s.tier === "frontier").length / rows.length, costUsd, errors: served.filter((s) => s.status !== 200).length };
}

async function traffic(stack: Stack, o: StackOptions, bar: cliProgress.SingleBar): Promise<{ plain: Array<[Tenant, Served[]]>; qt: [Tenant, Tenant]; qtServed: Served[]; boundServed: Served[] }> {
  const prompts = o.rows.map((r) => r.prompt);
  const qt = await warmUp(stack, QUALITY_TARGET_LABEL, o.target, prompts, o.concurrency, bar);
  const publishedAt = await publishTraffic(stack);
  const plain: Array<[Tenant, Served[]]> = [];
  for (const spec of [...(o.baselines ? BASELINES : []), ...ROUTED]) {
    const t = await createTenant(stack, spec);
    bar.update({ tenant: t.label });
    plain.push([t, await replay(stack, t, prompts, o.concurrency, bar)]);
  }
  const qtServed = await measure(stack, qt, prompts, publishedAt, o.concurrency, bar);
  return { plain, qt, qtServed, boundServed: await measure(stack, qt, prompts, publishedAt, o.concurrency, bar, UPPER_BOUND_FEATURE) };
}

const escalatedDrafts = (served: readonly Served[]) => served.filter((s) => s.cascade?.startsWith("escalated:") && !s.cascade.includes("draft_failed")).length;

export async function runStack(o: StackOptions): Promise<StackRun> {
  const vars: Record<string, string> = { BENCH_VERIFIER_FOLDS: o.verifierFoldsJson };
  if (o.router.modelBase64) Object.assign(vars, { BENCH_ROUTER_MODEL: o.router.modelBase64, BENCH_ROUTER_VERSION: o.router.version });
  if (o.router.modelBase64 && o.router.winCurve) vars.BENCH_ROUTER_WIN_CURVE = JSON.stringify(o.router.winCurve);
  const replayEntries = o.rows.flatMap((r) => [
    { model: "small-sim", prompt: r.prompt, response: r.smallResponse },
    { model: "frontier-sim", prompt: r.prompt, response: r.frontierResponse },
  ]);
  const stack = await startStack({ evaluator: true, simulator: { replay: replayEntries }, gatewayBuild: "gateway-replay", vars, evaluatorVars: { JUDGES: "[]" } });
  const bar = new cliProgress.SingleBar({ format: `replay (${o.router.kind} router) {bar} {value}/{total} requests | {tenant}`, hideCursor: true }, cliProgress.Presets.shades_classic);
  try {
    bar.start((ROUTED.length + (o.baselines ? BASELINES.length : 0) + 3) * o.rows.length, 0, { tenant: "" });
    const run = await traffic(stack, o, bar).finally(() => bar.stop());
    process.stdout.write("waiting for the evaluator's ledger...\n");
    for (const [t, served] of run.plain) await ledgerSettled(stack, t.tenantId, o.rows.length + escalatedDrafts(served));
    // Each fold tenant: its warm-up half, then the other half twice (net, upper bound).
    for (const [f, t] of run.qt.entries()) await ledgerSettled(stack, t.tenantId, o.rows.length + run.qtServed.filter((_, i) => foldOf(o.rows[i]!.prompt) !== f).length);
    const results = new Map<string, TenantResult>();
    const served = new Map<string, Served[]>();
    for (const [t, s] of run.plain) {
      results.set(t.label, result(t.label, s, o.rows, (await usageCost(stack, t)).costUsd));
      served.set(t.label, s);
    }
    // The quality-target tenants' own ledger also holds their warm-up: only the measured requests count.
    const qtCosts = new Map([...(await ledgerCosts(stack, run.qt[0].tenantId)), ...(await ledgerCosts(stack, run.qt[1].tenantId))]);
    for (const [label, measured] of [[QUALITY_TARGET_LABEL, run.qtServed], [QUALITY_TARGET_BOUND_LABEL, run.boundServed]] as const) {
      results.set(label, result(label, measured, o.rows, measured.reduce((sum, s) => sum + (qtCosts.get(s.requestId) ?? 0), 0)));
      served.set(label, measured);
    }
    const tenantOf = (label: string) => run.plain.find(([t]) => t.label === label)?.[0];
    const [small, frontier] = [tenantOf("all-small"), tenantOf("all-frontier")];
    const costs = small && frontier ? { small: await ledgerCosts(stack, small.tenantId), frontier: await ledgerCosts(stack, frontier.tenantId) } : null;
    return { router: o.router, results, served, costs };
  } finally {
    await stack.close();
  }
}
