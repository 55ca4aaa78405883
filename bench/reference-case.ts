/**
 * `npm run bench:reference`: the reference case (all traffic to one frontier model vs the
 * gateway), measured on recorded real answers. See HELP; writes docs/benchmarks/reference-case.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import cliProgress from "cli-progress";
import { startSimulator } from "../gpu-backends/simulator/src/server";
import { parseCli } from "../scripts/lib/cli";
import { DEFAULT_DATA_DIR } from "../scripts/cascade/lib/draft-rows";
import { ROOT } from "../test/harness/build-workers";
import { startStack, type Stack } from "../test/harness/stack";
import { machineDescription } from "./lib/machine";
import { routerWithout, trainVerifierFolds } from "./replay/builds";
import { publishTraffic, trafficCacheExpired } from "./replay/quality-target";
import { createTenant, type TenantSpec } from "./replay/tenants";
import { sendTraffic } from "./reference/client";
import { judgeServed } from "./reference/escapes";
import { referenceMarkdown, type ReportInput, type Run, type WarmUpFacts } from "./reference/report";
import { heldOutPools, type ReplayRow } from "./reference/rows";
import { bandsUsed, bySource, ledgerFacts, routingDetail, summarize, type LedgerFacts } from "./reference/summary";
import { DEFAULT_ROUTER_SETTINGS } from "../workers/gateway/src/router/settings";
import { mixTraffic, shareOf, withoutRows, type Request } from "./reference/traffic";

const HELP = `npm run bench:reference [-- options]

The reference case on recorded real answers: a seeded mix of held-out rows (RouterBench test
halves of ARC-Challenge, MBPP and Winogrande, and the GSM8K file; equal shares, never chosen by
label) plus ~10% repeats, sent through the gateway and evaluator in workerd as four tenants:
all-frontier without cache (baseline), "model": "auto" with default settings, "auto" with
cascade, and "auto" with a quality target of 0.95 (router.qualityTarget, the default 'net'
estimate): that tenant first sends a warm-up of other rows of the same files (another seed, no
measured prompt, cache bypassed), the evaluator's hourly job publishes its complexity histogram
(no label read), and the measured traffic then runs on the band derived from it. The GPU simulator replays Mixtral's recorded answer on the small tier and GPT-4's on
the frontier tier, with the latency shapes of a self-hosted small model and a frontier API.
Quality escapes come from the rows' real correctness labels; cost from the evaluator's ledger.
Before the run, a router without those four datasets and K fold cascade verifiers are trained
out of process (the shipped router was trained on every one of these rows).

Options:
  --requests N      requests per configuration (default: BENCH_REQUESTS or 300)
  --concurrency C   clients in flight (default: BENCH_CONCURRENCY or 16)
  --repeat-share R  probability a request repeats an earlier one (default 0.1)
  --seed S          traffic seed (default 42)
  --folds K         cascade verifier folds (default 5)
  --no-cascade      skip the cascade tenant
  --data DIR        the routing data folder (default ../shared/data/routing)
  --out FILE        the markdown (default docs/benchmarks/reference-case.md)
  --help            this text; starts nothing
Runtime: about 12 minutes with the defaults on 2 shared cores.`;

const { values: args } = parseCli({
  name: "npm run bench:reference --",
  summary: "The reference case on recorded real answers: all-frontier vs the gateway; about 8 minutes.",
  help: HELP,
  options: {
    requests: { type: "string", default: process.env.BENCH_REQUESTS ?? "300" },
    concurrency: { type: "string", default: process.env.BENCH_CONCURRENCY ?? "16" },
    "repeat-share": { type: "string", default: "0.1" },
    seed: { type: "string", default: "42" },
    folds: { type: "string", default: "5" },
    "no-cascade": { type: "boolean", default: false },
    data: { type: "string", default: DEFAULT_DATA_DIR },
    out: { type: "string", default: join(ROOT, "docs/benchmarks/reference-case.md") },
  },
});

const WORK = join(ROOT, ".tmp/bench-reference");
const BAND = DEFAULT_ROUTER_SETTINGS.bands[0]?.below ?? 0;
const FAMILIES = ["gsm8k", "arc_challenge", "mbpp", "winogrande"];
// The latency shapes of the earlier synthetic run: a frontier API (slow first token, 6 in flight) and a self-hosted small model.
const MODELS = [
  { id: "small-sim", latency: { ttftMs: 60, tpotMs: 10, jitter: 0.3 }, maxConcurrency: 64, defaultOutputTokens: 64 },
  { id: "frontier-sim", latency: { ttftMs: 450, tpotMs: 22, jitter: 0.5 }, maxConcurrency: 6, defaultOutputTokens: 64 },
];
const SIMULATOR_TEXT = "GPU simulator — small-sim (self-hosted, TTFT 60 ms, 10 ms/token, 64 concurrent, ±30% jitter; priced from $/GPU-hour) and frontier-sim (API, TTFT 450 ms, 22 ms/token, 6 concurrent, ±50% jitter; priced per token); answer lengths are the recorded answers' own";

const num = (name: string, v: string | undefined, min: number): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} ${v}: expected a number ≥ ${min}`);
  return n;
};

const QUALITY_TARGET = 0.95;
/** Warm-up requests of the quality-target tenant: enough for the gateway's default qualityMinRequests (200) with room for repeats. */
const WARM_UP_REQUESTS = 300;
/** The warm-up's seed is the traffic seed plus this, so it is another draw from the rows the measured traffic left. */
const WARM_UP_SEED_OFFSET = 1_000;

interface Config {
  spec: TenantSpec;
  useCache: boolean;
  cascade: boolean;
  /** Warm up on other rows and publish the tenant's complexity histogram before measuring (quality target). */
  warmUp?: boolean;
}

const CONFIGS: Config[] = [
  { spec: { label: "baseline (all frontier, no cache)", model: "frontier-sim" }, useCache: false, cascade: false },
  { spec: { label: "gateway defaults (auto)", model: "auto" }, useCache: true, cascade: false },
  { spec: { label: "gateway + cascade", model: "auto", router: { cascade: true } }, useCache: true, cascade: true },
  { spec: { label: `gateway, quality target ${QUALITY_TARGET}`, model: "auto", router: { qualityTarget: QUALITY_TARGET } }, useCache: true, cascade: false, warmUp: true },
];

/**
 * The quality-target tenant's warm-up, as bench:replay does it: its own traffic (other prompts, cache bypassed so it
 * neither fills the cache nor hits it) routed on the cold-start band, billed, then the evaluator's hourly job publishes
 * the tenant's complexity histogram; returns the ledger before the measured traffic and what the warm-up saw.
 */
async function warmUp(stack: Stack, tenant: Awaited<ReturnType<typeof createTenant>>, warm: ReadonlyArray<Request<ReplayRow>>, concurrency: number, bar: cliProgress.SingleBar): Promise<{ before: LedgerFacts; facts: WarmUpFacts }> {
  bar.update({ tenant: `${tenant.label} (warm-up)` });
  const served = await sendTraffic(stack, tenant, warm, { concurrency, useCache: false, bar });
  const before = await ledgerFacts(stack, tenant.tenantId, served);
  const publishedAt = await publishTraffic(stack);
  bar.update({ tenant: `${tenant.label} (published; waiting for the gateway's traffic cache)` });
  await trafficCacheExpired(publishedAt);
  const detail = routingDetail(served, BAND);
  return { before, facts: { requests: warm.length, distinct: new Set(warm.map((t) => t.row)).size, complexity: detail.complexity, bands: bandsUsed(served), errors: served.filter((s) => s.status !== 200).length } };
}

async function measure(stack: Stack, traffic: ReadonlyArray<Request<ReplayRow>>, warm: ReadonlyArray<Request<ReplayRow>>, config: Config, concurrency: number, bar: cliProgress.SingleBar): Promise<Run> {
  const tenant = await createTenant(stack, config.spec);
  const warmed = config.warmUp ? await warmUp(stack, tenant, warm, concurrency, bar) : undefined;
  bar.update({ tenant: config.spec.label });
  const served = await sendTraffic(stack, tenant, traffic, { concurrency, useCache: config.useCache, bar });
  const verdicts = served.map((s, i) => judgeServed(traffic[i]!.row, s));
  const ledger = await ledgerFacts(stack, tenant.tenantId, served, warmed?.before);
  return {
    label: config.spec.label,
    summary: summarize(served, verdicts, ledger),
    sources: bySource(traffic.map((t) => t.row.source), served, verdicts),
    routing: routingDetail(served, BAND),
    ...(warmed ? { warmUp: warmed.facts } : {}),
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const load = loadavg().map((x) => x.toFixed(2)).join(" / ");
  const requests = num("requests", args.requests, 1);
  const concurrency = num("concurrency", args.concurrency, 1);
  const pools = heldOutPools(args.data!);
  const traffic = mixTraffic(pools, { requests, repeatShare: num("repeat-share", args["repeat-share"], 0), seed: num("seed", args.seed, 0) });
  const distinct = [...new Set(traffic.map((t) => t.row))];
  // The quality-target tenant's warm-up: the same files and mix, none of the measured rows, another seed; labels unread.
  const warm = mixTraffic(withoutRows(pools, traffic), { requests: WARM_UP_REQUESTS, repeatShare: num("repeat-share", args["repeat-share"], 0), seed: num("seed", args.seed, 0) + WARM_UP_SEED_OFFSET });
  process.stdout.write(`training the router without ${FAMILIES.join(", ")} and ${args.folds} fold verifiers out of process...\n`);
  const router = routerWithout(WORK, args.data!, FAMILIES);
  const verifier = trainVerifierFolds(WORK, args.data!, num("folds", args.folds, 2));
  const replay = distinct.flatMap((r) => [
    { model: "small-sim", prompt: r.prompt, response: r.smallResponse },
    { model: "frontier-sim", prompt: r.prompt, response: r.frontierResponse },
  ]);
  const judgeSim = await startSimulator({});
  // The evaluator's local panel (workers/evaluator/wrangler.toml: a cheap triage judge in calls of 8, a strong one for
  // escalations) on a simulator of its own, so judge calls do not queue behind the tiers; its judge budget is the default.
  const judges = JSON.stringify([
    { name: "cheap", baseUrl: judgeSim.baseUrl, model: "small-sim", tier: "cheap", batch: 8, version: "small-sim@2" },
    { name: "strong", baseUrl: judgeSim.baseUrl, model: "frontier-sim", tier: "strong", version: "frontier-sim@2" },
  ]);
  const vars = { BENCH_VERIFIER_FOLDS: verifier.foldsJson, BENCH_ROUTER_MODEL: router.modelBase64!, BENCH_ROUTER_VERSION: router.version, ...(router.winCurve ? { BENCH_ROUTER_WIN_CURVE: JSON.stringify(router.winCurve) } : {}) };
  const stack = await startStack({ evaluator: true, simulator: { config: { models: MODELS, requestLogSize: 10 }, replay }, gatewayBuild: "gateway-replay", vars, evaluatorVars: { JUDGES: judges } });
  const configs = CONFIGS.filter((c) => !(c.cascade && args["no-cascade"]));
  const bar = new cliProgress.SingleBar({ format: "reference {bar} {value}/{total} requests | {tenant}", hideCursor: true }, cliProgress.Presets.shades_classic);
  try {
    bar.start(configs.length * traffic.length + (configs.some((c) => c.warmUp) ? warm.length : 0), 0, { tenant: "" });
    const runs: Run[] = [];
    for (const config of configs) runs.push(await measure(stack, traffic, warm, config, concurrency, bar));
    bar.stop();
    const counts = [...new Set(distinct.map((r) => r.source))].sort().map((s) => `${distinct.filter((r) => r.source === s).length} ${s}`);
    const input: ReportInput = {
      command: `npm run bench:reference${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
      machine: machineDescription(),
      date: new Date().toISOString().slice(0, 10),
      loadAverage: load,
      seconds: (Date.now() - started) / 1000,
      requests: traffic.length,
      repeats: traffic.filter((t) => t.repeat).length,
      concurrency,
      simpleShare: shareOf(traffic, (r) => r.smallOk),
      frontierRightShare: shareOf(traffic, (r) => r.frontierOk),
      oracleEscapes: traffic.filter((t) => !t.row.smallOk && !t.row.frontierOk).length,
      band: BAND,
      qualityTarget: QUALITY_TARGET,
      warmUpSeed: num("seed", args.seed, 0) + WARM_UP_SEED_OFFSET,
      mix: `${distinct.length} distinct prompts (${counts.join(", ")}; RouterBench test halves and the GSM8K file)`,
      routerVersion: router.version,
      verifier: `${verifier.version}, default threshold ${verifier.threshold}, ${args.folds} fold models (each row scored by the fold trained without it)`,
      simulator: SIMULATOR_TEXT,
      runs,
    };
    // The measured facts, for re-reading without a re-run (bench output, not committed).
    writeFileSync(join(WORK, "report-input.json"), JSON.stringify(input));
    const md = referenceMarkdown(input);
    mkdirSync(join(args.out!, ".."), { recursive: true });
    writeFileSync(args.out!, md);
    console.log(`\n${md}\nwrote ${args.out}`);
  } finally {
    bar.stop();
    await stack.close();
    await judgeSim.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
