/**
 * `npm run bench:replay`: recorded real answers replayed through the whole local stack.
 * See HELP below; results go to docs/benchmarks/replay.md (assembled by npm run bench:report).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCli } from "../scripts/lib/cli";
import cliProgress from "cli-progress";
import { DEFAULT_DATA_DIR, gsm8kRecords, type Gsm8kRecord } from "../scripts/cascade/lib/draft-rows";
import { ROOT } from "../test/harness/build-workers";
import { startStack, type Stack } from "../test/harness/stack";
import { machineDescription } from "./lib/machine";
import { DEFAULT_ROUTER_SETTINGS } from "../workers/gateway/src/router/settings";
import { bandsByShare, routerAuc, routerCurve, verifierAuc, verifierCurve, type RowFacts } from "./replay/curve";
import { replayMarkdown, type TenantResult } from "./replay/report";
import { createTenant, ledgerCosts, ledgerSettled, replay, usageCost, type Served, type Tenant, type TenantSpec } from "./replay/tenants";

const HELP = `npm run bench:replay [-- options]

Replays the shared GSM8K half (../shared/data/routing/gsm8k-mixtral-gpt4-dev.csv) through the
gateway and evaluator in workerd: the GPU simulator answers the small tier with Mixtral's
recorded small_response and the frontier tier with GPT-4's frontier_response. Four tenants get
every question once: all-frontier, all-small, "auto" (router) and "auto" with cascade.
Quality comes from the correctness labels, cost from the ledger (GET /v1/usage). Before the
run, K fold verifiers are trained out of process (npm run cascade:train -- --folds K) and
the bench's Worker build scores each row with the fold model that never saw it.

Options:
  --limit N        only the first N rows (default: all 654); a run with --limit does not
                   write docs/benchmarks/replay.md unless --out is given
  --folds K        verifier folds (default 5)
  --concurrency C  requests in flight per tenant (default 6)
  --data DIR       the routing data folder (default ../shared/data/routing)
  --out FILE       where to write the markdown (default docs/benchmarks/replay.md)
  --help           this text; starts nothing
Runtime: about 2-4 minutes for all rows on 2 shared cores.`;

const { values: args } = parseCli({
  name: "npm run bench:replay --",
  summary: "Replays the shared GSM8K half through the gateway and evaluator; about 10 minutes.",
  help: HELP,
  options: {
    limit: { type: "string" },
    folds: { type: "string", default: "5" },
    concurrency: { type: "string", default: "6" },
    data: { type: "string", default: DEFAULT_DATA_DIR },
    out: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

const WORK = join(ROOT, ".tmp/bench-replay");
const TENANTS: TenantSpec[] = [
  { label: "all-frontier", model: "frontier-sim" },
  { label: "all-small", model: "small-sim" },
  { label: "auto", model: "auto" },
  { label: "auto + cascade", model: "auto", router: { cascade: true } },
];
const CURVE = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8];

/** Fold verifiers, trained in a child process so the bench never holds a model fitted on a row it scores. */
function trainFolds(k: number): { foldsJson: string; version: string; threshold: number } {
  mkdirSync(WORK, { recursive: true });
  const folds = join(WORK, "verifier-folds.json");
  const all = join(WORK, "verifier-all-rows.json");
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/cascade/train-verifier.ts"), "--quiet", "--data", args.data!, "--folds", String(k), "--folds-out", folds, "--out", all], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`cascade:train --folds ${k} failed (exit ${r.status})`);
  const model = JSON.parse(readFileSync(all, "utf8")) as { version: string; threshold: number };
  return { foldsJson: readFileSync(folds, "utf8"), version: model.version, threshold: model.threshold };
}

function tenantResult(t: Tenant, served: readonly Served[], rows: readonly Gsm8kRecord[], costUsd: number): TenantResult {
  const correct = served.filter((s, i) => (s.tier === "small" ? rows[i]!.smallOk : s.tier === "frontier" ? rows[i]!.frontierOk : false)).length;
  return { label: t.label, correct, rows: rows.length, frontierShare: served.filter((s) => s.tier === "frontier").length / rows.length, costUsd, errors: served.filter((s) => s.status !== 200).length };
}

const escalatedDrafts = (served: readonly Served[]) => served.filter((s) => s.cascade?.startsWith("escalated:") && !s.cascade.includes("draft_failed")).length;

async function run(stack: Stack, rows: readonly Gsm8kRecord[], concurrency: number) {
  const bar = new cliProgress.SingleBar({ format: "replay {bar} {value}/{total} requests | {tenant}", hideCursor: true }, cliProgress.Presets.shades_classic);
  bar.start(TENANTS.length * rows.length, 0, { tenant: "" });
  const tenants: Tenant[] = [];
  const served: Served[][] = [];
  try {
    for (const spec of TENANTS) {
      const t = await createTenant(stack, spec);
      bar.update({ tenant: t.label });
      tenants.push(t);
      served.push(await replay(stack, t, rows.map((r) => r.prompt), concurrency, bar));
    }
  } finally {
    bar.stop();
  }
  process.stdout.write("waiting for the evaluator's ledger...\n");
  for (const [i, t] of tenants.entries()) await ledgerSettled(stack, t.tenantId, rows.length + escalatedDrafts(served[i]!));
  const results = await Promise.all(tenants.map(async (t, i) => tenantResult(t, served[i]!, rows, (await usageCost(stack, t)).costUsd)));
  const [frontierCosts, smallCosts] = await Promise.all([ledgerCosts(stack, tenants[0]!.tenantId), ledgerCosts(stack, tenants[1]!.tenantId)]);
  const [frontier, small, auto, cascade] = served as [Served[], Served[], Served[], Served[]];
  const facts: RowFacts[] = rows.map((r, i) => ({
    smallOk: r.smallOk,
    frontierOk: r.frontierOk,
    smallCost: smallCosts.get(small[i]!.requestId) ?? 0,
    frontierCost: frontierCosts.get(frontier[i]!.requestId) ?? 0,
    complexity: auto[i]!.complexity ?? cascade[i]!.complexity,
    pWrong: cascade[i]!.pWrong,
  }));
  return { results, facts };
}

async function main(): Promise<void> {
  if (args.help) {
    console.log(HELP);
    return;
  }
  const started = Date.now();
  const all = gsm8kRecords(args.data!);
  const rows = args.limit ? all.slice(0, Number(args.limit)) : all;
  const k = Number(args.folds);
  process.stdout.write(`training ${k} fold verifiers out of process...\n`);
  const verifier = trainFolds(k);
  const replayEntries = rows.flatMap((r) => [
    { model: "small-sim", prompt: r.prompt, response: r.smallResponse },
    { model: "frontier-sim", prompt: r.prompt, response: r.frontierResponse },
  ]);
  process.stdout.write("building and starting the stack...\n");
  const stack = await startStack({ evaluator: true, simulator: { replay: replayEntries }, gatewayBuild: "gateway-replay", vars: { BENCH_VERIFIER_FOLDS: verifier.foldsJson }, evaluatorVars: { JUDGES: "[]" } });
  try {
    const { results, facts } = await run(stack, rows, Number(args.concurrency));
    const manifest = JSON.parse(readFileSync(join(ROOT, "workers/gateway/src/router/model/manifest.json"), "utf8")) as { version: string; training?: { routingSets?: Array<{ file?: string }> } };
    const md = replayMarkdown({
      command: `npm run bench:replay${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
      machine: machineDescription(),
      rows: rows.length,
      folds: k,
      seconds: (Date.now() - started) / 1000,
      routerVersion: manifest.version,
      routerBand: DEFAULT_ROUTER_SETTINGS.bands[0]?.below ?? 0,
      routerTrainedOnRows: (manifest.training?.routingSets ?? []).some((s) => s.file === "gsm8k-mixtral-gpt4-dev.csv"),
      verifierVersion: verifier.version,
      verifierThreshold: verifier.threshold,
      verifierAuc: verifierAuc(facts),
      routerAuc: routerAuc(facts),
      drafted: facts.filter((f) => f.pWrong !== null).length,
      tenants: results,
      routerCurve: routerCurve(facts, bandsByShare(facts)),
      verifierCurve: verifierCurve(facts, CURVE),
    });
    console.log(`\n${md}`);
    const out = args.out ?? (args.limit ? null : join(ROOT, "docs/benchmarks/replay.md"));
    if (out) {
      writeFileSync(out, `${md}\n`);
      console.log(`wrote ${out}`);
    }
  } finally {
    await stack.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
