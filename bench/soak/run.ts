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
import { ledgerCount, ledgerView, rssMb } from "./measure";
import { BILLED, planRun } from "./mix";
import { renderReport } from "./report";
import type { Sample } from "./summary";

export interface SoakOptions {
  minutes: number;
  rate: number;
  maxInFlight: number;
  sampleSeconds: number;
  seed: number;
  /** "disk": storage persisted under a temp dir (as wrangler dev keeps it); "memory": in workerd. */
  storage: "disk" | "memory";
  write: boolean;
}

export async function runSoak(o: SoakOptions, command: string): Promise<void> {
  const startedAt = new Date();
  const judgeSim = await startSimulator({});
  const judges = JSON.stringify([{ name: "judge-a", baseUrl: judgeSim.baseUrl, model: "small-sim", weight: 1, version: "small-sim@1" }]);
  // On disk by default: an in-memory D1/KV grows with every row written, which would read as a leak.
  const persistRoot = o.storage === "disk" ? mkdtempSync(join(tmpdir(), "soak-")) : undefined;
  const stack = await startStack({ evaluator: true, evaluatorVars: { JUDGES: judges }, ...(persistRoot ? { persistRoot } : {}) });
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
    const samples: Sample[] = [];
    const billedDone = { n: 0 };
    const runStart = Date.now();
    const sampler = setInterval(() => {
      void ledgerCount(stack, tenantId).then((rows) => {
        const s = { t: (Date.now() - runStart) / 1000, rssMb: rssMb(workerd), backlog: billedDone.n - rows };
        samples.push(s);
        console.log(`t=${s.t.toFixed(0)} s  workerd ${s.rssMb.toFixed(0)} MB  backlog ${s.backlog}`);
      });
    }, o.sampleSeconds * 1000);
    const driven = await driveSteady(stack.url, keys, plan, o.rate, o.maxInFlight, runStart, (outcome) => {
      if (BILLED.has(outcome.kind) && outcome.requestId && outcome.status === 200) billedDone.n++;
    });
    const sendSeconds = (Date.now() - runStart) / 1000;
    // Drain: the evaluator books what is still queued; keep sampling until it has (bounded).
    const billedIds = driven.outcomes.filter((x) => BILLED.has(x.kind) && x.requestId !== null).map((x) => x.requestId as string);
    const drainEnd = Date.now() + 120_000;
    while ((await ledgerCount(stack, tenantId)) < billedIds.length && Date.now() < drainEnd) await new Promise((r) => setTimeout(r, 1_000));
    clearInterval(sampler);
    const drainSeconds = (Date.now() - runStart) / 1000 - sendSeconds;
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
