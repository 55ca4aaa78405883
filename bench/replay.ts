/**
 * `npm run bench:replay`: recorded real answers replayed through the whole local stack.
 * See HELP below; results go to docs/benchmarks/replay.md (assembled by npm run bench:report).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCli } from "../scripts/lib/cli";
import { DEFAULT_DATA_DIR, gsm8kRecords, type Gsm8kRecord } from "../scripts/cascade/lib/draft-rows";
import { ROOT } from "../test/harness/build-workers";
import { machineDescription } from "./lib/machine";
import { DEFAULT_ROUTER_SETTINGS } from "../workers/gateway/src/router/settings";
import { bandsByShare, cascadeByComplexity, routerAuc, routerCurve, verifierAuc, verifierCurve, type RowFacts } from "./replay/curve";
import { qualityTargetCurve } from "./replay/quality-target";
import { replayMarkdown, type RouterSection } from "./replay/report";
import { routerWithout, trainVerifierFolds } from "./replay/builds";
import { QUALITY_TARGET_BOUND_LABEL, QUALITY_TARGET_LABEL, runStack, type RouterBuild, type StackRun } from "./replay/run-stack";
import type { WinCurve } from "../workers/gateway/src/router/quality-target/win-curve";

const HELP = `npm run bench:replay [-- options]

Replays the shared GSM8K half (../shared/data/routing/gsm8k-mixtral-gpt4-dev.csv) through the
gateway and evaluator in workerd: the GPU simulator answers the small tier with Mixtral's
recorded small_response and the frontier tier with GPT-4's frontier_response. Tenants:
all-frontier, all-small, "auto" (static band), "auto" with a quality target (router.qualityTarget,
band derived label-free from the tenant's own traffic: two tenants, each warmed up on one half of
the prompts and measured on the other, after the evaluator's hourly job published the histogram;
measured twice, with the net loss estimate and with the upper bound) and "auto" with cascade. Quality comes from the correctness labels, cost from the ledger.
Before the run, K fold verifiers are trained out of process (npm run cascade:train -- --folds K)
and the bench's Worker build scores each row with the fold model that never saw it. The shipped
router was trained on these rows (in-sample); --router lodo (default: both) also runs the routed
tenants with a router trained without GSM8K (npm run router:train -- --exclude-family gsm8k).

Options:
  --limit N        only the first N rows (default: all 654); a run with --limit does not
                   write docs/benchmarks/replay.md unless --out is given
  --folds K        verifier folds (default 5)
  --target Q       the quality target of the quality-target tenant (default 0.95)
  --router R       shipped | lodo | both (default both)
  --concurrency C  requests in flight per tenant (default 6)
  --data DIR       the routing data folder (default ../shared/data/routing)
  --out FILE       where to write the markdown (default docs/benchmarks/replay.md)
  --help           this text; starts nothing
Runtime: about 10 minutes for all rows and both routers on 2 shared cores.`;

const { values: args } = parseCli({
  name: "npm run bench:replay --",
  summary: "Replays the shared GSM8K half through the gateway and evaluator; about 10 minutes.",
  help: HELP,
  options: {
    limit: { type: "string" },
    folds: { type: "string", default: "5" },
    target: { type: "string", default: "0.95" },
    router: { type: "string", default: "both" },
    concurrency: { type: "string", default: "6" },
    data: { type: "string", default: DEFAULT_DATA_DIR },
    out: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

const WORK = join(ROOT, ".tmp/bench-replay");
const CURVE = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8];
const TARGETS = [0.85, 0.9, 0.93, 0.95, 0.97, 0.99];

interface Manifest {
  version: string;
  training?: { routingSets?: Array<{ file?: string }>; excludedFamilies?: string[] };
  winCurve?: WinCurve;
}

const trainedOn = (m: Manifest) => (m.training?.routingSets ?? []).some((s) => s.file === "gsm8k-mixtral-gpt4-dev.csv") && !(m.training?.excludedFamilies ?? []).includes("gsm8k");

function shippedRouter(): RouterBuild {
  const m = JSON.parse(readFileSync(join(ROOT, "workers/gateway/src/router/model/manifest.json"), "utf8")) as Manifest;
  return { kind: "shipped", version: m.version, trainedOnRows: trainedOn(m), ...(m.winCurve ? { winCurve: m.winCurve } : {}) };
}

/** Per-row ledger cost of each tier, from the stack that ran all-small and all-frontier (the same recorded answers, so the same tokens). */
interface Baseline {
  small: number[];
  frontier: number[];
}

function baselineCosts(first: StackRun): Baseline {
  const costs = first.costs!;
  const per = (label: string, m: Map<string, number>) => first.served.get(label)!.map((s) => m.get(s.requestId) ?? 0);
  return { small: per("all-small", costs.small), frontier: per("all-frontier", costs.frontier) };
}

function facts(run: StackRun, base: Baseline, rows: readonly Gsm8kRecord[]): RowFacts[] {
  const auto = run.served.get("auto")!;
  const cascade = run.served.get("auto + cascade")!;
  return rows.map((r, i) => ({
    smallOk: r.smallOk,
    frontierOk: r.frontierOk,
    smallCost: base.small[i] ?? 0,
    frontierCost: base.frontier[i] ?? 0,
    complexity: auto[i]!.complexity ?? cascade[i]!.complexity,
    pWrong: cascade[i]!.pWrong,
  }));
}

function section(run: StackRun, base: Baseline, rows: readonly Gsm8kRecord[]): RouterSection {
  const f = facts(run, base, rows);
  // Per-row facts for later analysis (bench output, not committed).
  writeFileSync(join(WORK, `facts-${run.router.kind}.json`), JSON.stringify(f));
  return {
    router: run.router,
    tenants: run.results,
    served: run.served,
    routerAuc: routerAuc(f),
    verifierAuc: verifierAuc(f),
    drafted: f.filter((x) => x.pWrong !== null).length,
    routerCurve: routerCurve(f, bandsByShare(f)),
    verifierCurve: verifierCurve(f, CURVE),
    targetCurves: {
      net: qualityTargetCurve(f, rows.map((r) => r.prompt), TARGETS, "net", run.router.winCurve),
      upper_bound: qualityTargetCurve(f, rows.map((r) => r.prompt), TARGETS, "upper_bound"),
    },
    cascadeBands: cascadeByComplexity(f, run.served.get("auto + cascade")!.map((s) => s.tier === "small")),
  };
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
  const target = Number(args.target);
  if (!["shipped", "lodo", "both"].includes(args.router!)) throw new Error(`--router ${args.router}: expected shipped, lodo or both`);
  process.stdout.write(`training ${k} fold verifiers out of process...\n`);
  const verifier = trainVerifierFolds(WORK, args.data!, k);
  const builds: RouterBuild[] = [shippedRouter()];
  if (args.router !== "shipped") {
    process.stdout.write("training the router without GSM8K out of process...\n");
    // The router rebuilt without any GSM8K row (MGSM included), calibration too: GSM8K is then held out.
    builds.push(routerWithout(WORK, args.data!, ["gsm8k"]));
    if (args.router === "lodo") builds.shift();
  }
  const runs: StackRun[] = [];
  for (const [i, router] of builds.entries()) {
    process.stdout.write(`building and starting the stack (${router.kind} router ${router.version})...\n`);
    runs.push(await runStack({ rows, verifierFoldsJson: verifier.foldsJson, router, baselines: i === 0, target, concurrency: Number(args.concurrency) }));
  }
  const first = runs[0]!;
  const base = baselineCosts(first);
  const md = replayMarkdown({
    command: `npm run bench:replay${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
    machine: machineDescription(),
    rows: rows.length,
    folds: k,
    seconds: (Date.now() - started) / 1000,
    staticBand: DEFAULT_ROUTER_SETTINGS.bands[0]?.below ?? 0,
    target,
    verifierVersion: verifier.version,
    verifierThreshold: verifier.threshold,
    baselines: new Map([...first.results].filter(([label]) => label === "all-frontier" || label === "all-small")),
    sections: runs.map((r) => section(r, base, rows)),
    qualityTargetLabel: QUALITY_TARGET_LABEL,
    qualityTargetBoundLabel: QUALITY_TARGET_BOUND_LABEL,
  });
  console.log(`\n${md}`);
  const out = args.out ?? (args.limit ? null : join(ROOT, "docs/benchmarks/replay.md"));
  if (out) {
    writeFileSync(out, `${md}\n`);
    console.log(`wrote ${out}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
