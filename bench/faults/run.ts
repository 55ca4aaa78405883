/** bench:faults: starts the stack, runs the scenarios one after another, checks the ledger, reports. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSimulator, type RunningSimulator } from "../../gpu-backends/simulator/src/server";
import { ROOT } from "../../test/harness/build-workers";
import { bearer, seedKey } from "../../test/harness/seed";
import { startStack, type Stack } from "../../test/harness/stack";
import { machineDescription } from "../lib/machine";
import { drive, type Sent } from "./drive";
import { explainMisses } from "./explain";
import { checkLedger, completeAnswers, continuationsAnswered, resetFaults, setFaults, transitionsSince, type ModelTransition } from "./measure";
import type { Options } from "./options";
import { renderReport } from "./report";
import { scenarios, type Scenario } from "./scenarios";
import type { ScenarioResult } from "./summary";

// Shaped like the local config (fast self-hosted small tier, slower frontier API), with the
// frontier's concurrency high enough that fallbacks queue but do not time out.
const SIMULATOR = {
  models: [
    { id: "small-sim", latency: { ttftMs: 40, tpotMs: 8, jitter: 0.1, slowFirstTokenMs: 3_000 }, maxConcurrency: 32, defaultOutputTokens: 48 },
    { id: "frontier-sim", latency: { ttftMs: 300, tpotMs: 20, jitter: 0.2 }, maxConcurrency: 16, defaultOutputTokens: 48 },
  ],
  requestLogSize: 10,
};
const SIMULATOR_TEXT = "small-sim TTFT 40 ms, 8 ms/token, 32 concurrent; frontier-sim TTFT 300 ms, 20 ms/token, 16 concurrent; slow first token = +3 s. Registry timeouts (config/models.local.json): small-sim first byte 10 s, frontier-sim 30 s; 2 retries each";

interface Run {
  scenario: Scenario;
  tenantId: string;
  sent: Sent[];
  startedAt: number;
  wallMs: number;
  transitions: ModelTransition[];
  upstreamAnswers: number;
  continuations: number;
}

/**
 * The scenarios inject faults on the small tier, so `auto` traffic must start there: with the
 * default router a short prompt may go to the frontier on low confidence and never meet a fault
 * (a 1,500-request run once measured "100% success" with every request on the frontier).
 */
const SMALL_FIRST = { router: { bands: [{ below: 0.99, tier: "small" }], confidenceThreshold: 0 } };

async function runScenario(stack: Stack, scenario: Scenario): Promise<Run> {
  const tenant = await seedKey(stack, { name: `faults-${scenario.id}` });
  const admin = await seedKey(stack, { name: `faults-${scenario.id}-admin`, role: "admin", tenantId: tenant.tenantId });
  const put = await stack.fetch(`/admin/v1/tenants/${tenant.tenantId}/settings`, { method: "PUT", headers: bearer(admin.key), body: JSON.stringify(SMALL_FIRST) });
  if (put.status !== 200) throw new Error(`router settings for ${scenario.id}: ${put.status} ${await put.text()}`);
  await resetFaults(stack.sim);
  await setFaults(stack.sim, scenario.faults);
  const answersBefore = completeAnswers(stack.sim);
  const continuationsBefore = continuationsAnswered(stack.sim);
  const started = Date.now();
  let later = scenario.later;
  const sent = await drive(stack.url, tenant.key, scenario.load, (elapsed) => {
    if (later && elapsed >= later.afterMs) {
      const faults = later.faults;
      later = undefined;
      void setFaults(stack.sim, faults);
    }
  });
  const wallMs = Date.now() - started;
  await resetFaults(stack.sim);
  const upstreamAnswers = completeAnswers(stack.sim) - answersBefore;
  const continuations = continuationsAnswered(stack.sim) - continuationsBefore;
  const transitions = await transitionsSince(stack, started);
  const ok = sent.filter((s) => s.ok).length;
  console.log(`${scenario.id}: ${ok}/${sent.length} ok in ${(wallMs / 1000).toFixed(1)} s, ${transitions.length} breaker transitions`);
  return { scenario, tenantId: tenant.tenantId, sent, startedAt: started, wallMs, transitions, upstreamAnswers, continuations };
}

/** Lets circuits a scenario opened close before the next one starts (an open circuit would skew it). */
async function settleBreakers(stack: Stack, since: number): Promise<void> {
  const allClosed = async () => {
    const lastTo = new Map<string, string>();
    for (const t of await transitionsSince(stack, since)) lastTo.set(t.model, t.to);
    return [...lastTo.values()].every((to) => to === "closed");
  };
  // Healthy traffic closes an open circuit at its next probe (at most 60 s away).
  const warm = await seedKey(stack, { name: "faults-settle" });
  const end = Date.now() + 65_000;
  while (!(await allClosed()) && Date.now() < end) {
    await drive(stack.url, warm.key, { model: "auto", requests: 1_000, concurrency: 2, streamEvery: 1_000, maxMs: 2_000 });
  }
}

export async function runFaultBench(options: Options, command: string): Promise<void> {
  const startedAt = new Date();
  const judgeSim: RunningSimulator = await startSimulator({});
  const judges = JSON.stringify([{ name: "judge-a", baseUrl: judgeSim.baseUrl, model: "small-sim", weight: 1, version: "small-sim@1" }]);
  const stack = await startStack({ evaluator: true, simulator: { config: SIMULATOR }, evaluatorVars: { JUDGES: judges } });
  try {
    const runs: Run[] = [];
    for (const scenario of scenarios(options).filter((s) => options.only === null || options.only.includes(s.id))) {
      const run = await runScenario(stack, scenario);
      runs.push(run);
      await settleBreakers(stack, run.startedAt);
    }
    const results: ScenarioResult[] = [];
    for (const run of runs) {
      const ids = run.sent.flatMap((s) => (s.requestId ? [s.requestId] : []));
      results.push({ ...run, ledger: await checkLedger(stack, run.tenantId, ids, run.sent.length) });
    }
    const md = renderReport(results, { command, machine: machineDescription(), simulator: SIMULATOR_TEXT, startedAt, wallSeconds: (Date.now() - startedAt.getTime()) / 1000 }, explainMisses(results));
    if (options.write) {
      mkdirSync(join(ROOT, "docs/benchmarks"), { recursive: true });
      writeFileSync(join(ROOT, "docs/benchmarks/faults.md"), md);
    }
    console.log(md);
  } finally {
    await stack.close();
    await judgeSim.close();
  }
}
