/** bench:soak: starts the stack, drives the mix at a steady rate, samples, checks the ledger, reports. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulator } from "../../gpu-backends/simulator/src/server";
import { ROOT } from "../../test/harness/build-workers";
import { seedKey } from "../../test/harness/seed";
import { startStack } from "../../test/harness/stack";
import { machineDescription } from "../lib/machine";
import { childPids } from "../lib/process-memory";
import { driveSteady, type Keys } from "./drive";
import { growthBetween, openHeapProbe, type HeapReading } from "./heap";
import { ledgerCount, ledgerView } from "./measure";
import { BILLED, planRun } from "./mix";
import { renderReport } from "./report";
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
}

function printHeapGrowth(snapshots: readonly HeapReading[]): void {
  if (snapshots.length < 2) return;
  for (const g of growthBetween(snapshots[0] as HeapReading, snapshots.at(-1) as HeapReading)) {
    if (g.toMb - g.fromMb < 0.5 && !g.id.startsWith("core:user:")) continue;
    console.log(`\n${g.id || "?"}: live heap ${g.fromMb.toFixed(1)} -> ${g.toMb.toFixed(1)} MB`);
    for (const x of g.top) console.log(`  ${(x.bytesDelta / 2 ** 20).toFixed(2).padStart(8)} MB  ${String(x.countDelta).padStart(8)} objects (now ${x.countAfter})  ${x.key}`);
  }
}

const INSPECTOR_PORT = 9700 + Math.floor(Math.random() * 200);

export async function runSoak(o: SoakOptions, command: string): Promise<void> {
  const startedAt = new Date();
  const judgeSim = await startSimulator({});
  const judges = JSON.stringify([{ name: "judge-a", baseUrl: judgeSim.baseUrl, model: "small-sim", weight: 1, version: "small-sim@1" }]);
  // On disk by default: an in-memory D1/KV grows with every row written, which would read as a leak.
  const persistRoot = o.storage === "disk" ? mkdtempSync(join(tmpdir(), "soak-")) : undefined;
  const stack = await startStack({ evaluator: true, evaluatorVars: { JUDGES: judges }, ...(persistRoot ? { persistRoot } : {}), ...(o.heap ? { inspectorPort: INSPECTOR_PORT } : {}) });
  try {
    const service = await seedKey(stack, { name: "soak" });
    const tenantId = service.tenantId;
    const keys: Keys = {
      service: service.key,
      developer: (await seedKey(stack, { tenantId, role: "developer" })).key,
      admin: (await seedKey(stack, { tenantId, role: "admin" })).key,
    };
    const plan = planRun(Math.round(o.minutes * 60 * o.rate), o.seed, tenantId);
    const workerd = childPids(process.pid, /workerd/);
    const billedDone = { n: 0 };
    const runStart = Date.now();
    const probe = o.heap ? await openHeapProbe(INSPECTOR_PORT) : null;
    const sampler = startSampler({ stack, tenantId, workerd, everySeconds: o.sampleSeconds, runStart, billedDone, probe, firstSnapshotAt: o.heapDiff ? o.minutes * 60 * WARMUP_SHARE : null });
    const samples = sampler.samples;
    const driven = await driveSteady(stack.url, keys, plan, o.rate, o.maxInFlight, runStart, (outcome) => {
      if (BILLED.has(outcome.kind) && outcome.requestId && outcome.status === 200) billedDone.n++;
    });
    const sendSeconds = (Date.now() - runStart) / 1000;
    // Drain: the evaluator books what is still queued; keep sampling until it has (bounded).
    const billedIds = driven.outcomes.filter((x) => BILLED.has(x.kind) && x.requestId !== null).map((x) => x.requestId as string);
    const drainEnd = Date.now() + 120_000;
    while ((await ledgerCount(stack, tenantId)) < billedIds.length && Date.now() < drainEnd) await new Promise((r) => setTimeout(r, 1_000));
    const drainSeconds = (Date.now() - runStart) / 1000 - sendSeconds;
    await sampler.stop();
    printHeapGrowth(sampler.snapshots);
    const ledger = await ledgerView(stack, tenantId);
    const md = renderReport({
      options: o,
      command,
      machine: machineDescription(),
      startedAt,
      sendSeconds,
      drainSeconds,
      driven,
      samples,
      snapshots: sampler.snapshots,
      billedIds,
      ledger,
      peakMb: Math.max(0, ...samples.map((s) => s.rssMb)),
    });
    if (o.write) {
      mkdirSync(join(ROOT, "docs/benchmarks"), { recursive: true });
      writeFileSync(join(ROOT, "docs/benchmarks/soak.md"), md);
    }
    console.log(md);
  } finally {
    await stack.close();
    await judgeSim.close();
    if (persistRoot) rmSync(persistRoot, { recursive: true, force: true });
  }
}
