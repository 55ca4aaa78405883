/**
 * bench:soak: starts the stack (one per arm: the isolate heap limit, and beside it by default the
 * same stack without one), drives the mix at a steady rate through every arm at once, samples,
 * checks the ledger, reports.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulator } from "../../gpu-backends/simulator/src/server";
import { ROOT } from "../../test/harness/build-workers";
import { seedKey } from "../../test/harness/seed";
import { startStack, type Stack } from "../../test/harness/stack";
import { machineDescription } from "../lib/machine";
import { childPids } from "../lib/process-memory";
import { V8_FLAGS_ENV, v8FlagsApplied, v8FlagsHookActive } from "../lib/workerd-v8-flags";
import { driveSteady, type Keys } from "./drive";
import { growthBetween, openHeapProbe, type HeapProbe, type HeapReading } from "./heap";
import { ledgerCount, ledgerView } from "./measure";
import { BILLED, planRun } from "./mix";
import { renderReport, type SoakRun } from "./report";
import { renderArms } from "./report-arms";
import { startSampler } from "./sampler";
import { WARMUP_SHARE } from "./summary";

export interface SoakOptions {
  minutes: number;
  rate: number;
  maxInFlight: number;
  sampleSeconds: number;
  seed: number;
  /** "disk": storage persisted under a temp dir (as wrangler dev keeps it); "memory": in workerd. */
  storage: "disk" | "memory";
  write: boolean;
  /** Read the isolates' JS heaps and workerd's memory regions with each sample; snapshot twice (heap.ts). */
  heap: boolean;
  /** With `heap`: a snapshot at the end of warm-up too, to diff against the last (perturbs memory). */
  heapDiff: boolean;
  /** Every isolate's V8 heap capped at this many MB (`--max-heap-size`), as a deployed Worker's 128 MB; null: no limit (Miniflare's default). */
  isolateHeapMb: number | null;
  /** With a limit: also run the same stack without one, at the same time, and report both. */
  besideUnlimited: boolean;
}

/** V8 flags that cap each isolate's heap at `mb` (young and old generation together). */
export const heapLimitFlags = (mb: number | null): string[] => (mb === null ? [] : [`--max-heap-size=${mb}`]);

function printHeapGrowth(snapshots: readonly HeapReading[]): void {
  if (snapshots.length < 2) return;
  for (const g of growthBetween(snapshots[0] as HeapReading, snapshots.at(-1) as HeapReading)) {
    if (g.toMb - g.fromMb < 0.5 && !g.id.startsWith("core:user:")) continue;
    console.log(`\n${g.id || "?"}: live heap ${g.fromMb.toFixed(1)} -> ${g.toMb.toFixed(1)} MB`);
    for (const x of g.top) console.log(`  ${(x.bytesDelta / 2 ** 20).toFixed(2).padStart(8)} MB  ${String(x.countDelta).padStart(8)} objects (now ${x.countAfter})  ${x.key}`);
  }
}

interface Arm {
  heapMb: number | null;
  stack: Stack;
  judgeSim: { close(): Promise<void> };
  persistRoot: string | undefined;
  inspectorPort: number;
  workerd: number[];
}

const INSPECTOR_BASE = 9700 + Math.floor(Math.random() * 200);

/** Starts one arm's stack with the heap limit in the environment while its workerd config is written. */
async function startArm(o: SoakOptions, heapMb: number | null, index: number): Promise<Arm> {
  const judgeSim = await startSimulator({});
  const judges = JSON.stringify([{ name: "judge-a", baseUrl: judgeSim.baseUrl, model: "small-sim", weight: 1, version: "small-sim@1" }]);
  // On disk by default: an in-memory D1/KV grows with every row written, which would read as a leak.
  const persistRoot = o.storage === "disk" ? mkdtempSync(join(tmpdir(), "soak-")) : undefined;
  const inspectorPort = INSPECTOR_BASE + index;
  const before = new Set(childPids(process.pid, /workerd/));
  const flags = heapLimitFlags(heapMb);
  process.env[V8_FLAGS_ENV] = flags.join(" ");
  try {
    const stack = await startStack({ evaluator: true, evaluatorVars: { JUDGES: judges }, ...(persistRoot ? { persistRoot } : {}), ...(o.heap ? { inspectorPort } : {}) });
    if (flags.length > 0 && (!v8FlagsHookActive() || v8FlagsApplied().join(" ") !== flags.join(" "))) {
      await stack.close();
      throw new Error(`the V8 flags ${flags.join(" ")} did not reach workerd's config (bench/lib/workerd-v8-flags.ts): Miniflare changed?`);
    }
    return { heapMb, stack, judgeSim, persistRoot, inspectorPort, workerd: childPids(process.pid, /workerd/).filter((p) => !before.has(p)) };
  } finally {
    delete process.env[V8_FLAGS_ENV];
  }
}

async function closeArm(a: Arm): Promise<void> {
  await a.stack.close();
  await a.judgeSim.close();
  if (a.persistRoot) rmSync(a.persistRoot, { recursive: true, force: true });
}

interface Prepared {
  arm: Arm;
  tenantId: string;
  keys: Keys;
  probe: HeapProbe | null;
}

/** Keys and the heap probe, before the clock starts (seeding goes through the stack's D1). */
async function prepareArm(o: SoakOptions, a: Arm): Promise<Prepared> {
  const service = await seedKey(a.stack, { name: "soak" });
  const tenantId = service.tenantId;
  const keys: Keys = {
    service: service.key,
    developer: (await seedKey(a.stack, { tenantId, role: "developer" })).key,
    admin: (await seedKey(a.stack, { tenantId, role: "admin" })).key,
  };
  return { arm: a, tenantId, keys, probe: o.heap ? await openHeapProbe(a.inspectorPort) : null };
}

async function soakArm(o: SoakOptions, p: Prepared, command: string, runStart: number): Promise<SoakRun> {
  const { arm: a, tenantId, keys, probe } = p;
  const { stack } = a;
  const plan = planRun(Math.round(o.minutes * 60 * o.rate), o.seed, tenantId);
  const billedDone = { n: 0 };
  const label = a.heapMb === null ? "no limit" : `${a.heapMb} MB`;
  const sampler = startSampler({ stack, tenantId, workerd: a.workerd, everySeconds: o.sampleSeconds, runStart, billedDone, probe, firstSnapshotAt: o.heapDiff ? o.minutes * 60 * WARMUP_SHARE : null, label });
  const driven = await driveSteady(stack.url, keys, plan, o.rate, o.maxInFlight, runStart, (outcome) => {
    if (BILLED.has(outcome.kind) && outcome.requestId && outcome.status === 200) billedDone.n++;
  });
  const sendSeconds = (Date.now() - runStart) / 1000;
  // Drain: the evaluator books what is still queued; keep sampling until it has (bounded).
  const billedIds = driven.outcomes.filter((x) => BILLED.has(x.kind) && x.requestId !== null).map((x) => x.requestId as string);
  const drainEnd = Date.now() + 120_000;
  while ((await ledgerCount(stack, tenantId).catch(() => billedIds.length)) < billedIds.length && Date.now() < drainEnd) await new Promise((r) => setTimeout(r, 1_000));
  const drainSeconds = (Date.now() - runStart) / 1000 - sendSeconds;
  await sampler.stop().catch((err: unknown) => console.error(`${label}: last heap snapshot failed:`, err));
  printHeapGrowth(sampler.snapshots);
  // A workerd that aborted (V8's heap limit) cannot be read: the report then shows every row missing.
  const ledger = await ledgerView(stack, tenantId).catch((err: unknown) => {
    console.error(`${label}: ledger unreadable:`, err);
    return { ids: new Set<string>(), delaysMs: [], duplicates: 0 };
  });
  const samples = sampler.samples;
  return {
    options: o,
    heapMb: a.heapMb,
    command,
    machine: machineDescription(),
    startedAt: new Date(runStart),
    sendSeconds,
    drainSeconds,
    driven,
    samples,
    snapshots: sampler.snapshots,
    billedIds,
    ledger,
    peakMb: Math.max(0, ...samples.map((s) => s.rssMb)),
  };
}

export async function runSoak(o: SoakOptions, command: string): Promise<void> {
  const limits = o.isolateHeapMb !== null && o.besideUnlimited ? [o.isolateHeapMb, null] : [o.isolateHeapMb];
  const arms: Arm[] = [];
  try {
    for (const [i, mb] of limits.entries()) arms.push(await startArm(o, mb, i));
    const prepared = await Promise.all(arms.map((a) => prepareArm(o, a)));
    const runStart = Date.now();
    const runs = await Promise.all(prepared.map((p) => soakArm(o, p, command, runStart)));
    const md = `${renderReport(runs[0] as SoakRun)}${renderArms(runs)}`;
    if (o.write) {
      mkdirSync(join(ROOT, "docs/benchmarks"), { recursive: true });
      writeFileSync(join(ROOT, "docs/benchmarks/soak.md"), md);
    }
    console.log(md);
  } finally {
    for (const a of arms) await closeArm(a).catch((err: unknown) => console.error("closing an arm:", err));
  }
}
