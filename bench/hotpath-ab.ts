/**
 * `npm run bench:hotpath-ab -- DIR...`: bench:hotpath's in-isolate load loop over several source
 * trees side by side in one run. Each tree (a copy of this repository with a change applied, its
 * node_modules linked to this one's) is bundled from its own sources and runs in its own workerd
 * process; the trees are driven in interleaved rounds whose order rotates, and each process's
 * CPU is read around its batch. Per-round differences and ratios to the first tree cancel the
 * slow drifts of a shared machine, so a change of a few percent shows where whole-process
 * numbers from separate runs cannot. The first tree is the baseline.
 * Environment: AB_ROUNDS (25), AB_REQUESTS per batch (600), AB_MODE=full|core (full: the seeded
 * tenant's defaults, guardrails, cache and router on; the requests send no-cache, no-store).
 */
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { machineDescription, median } from "./lib/machine";
import { childPids } from "./lib/process-memory";
import { cpuSeconds } from "./lib/process-cpu";
import { parseCli } from "../scripts/lib/cli";

const cli = parseCli({
  name: "npm run bench:hotpath-ab --",
  summary: "CPU per request of the gateway built from several source trees, interleaved in one run (first tree = baseline). Runs for minutes.",
  positionals: "DIR...",
  notes: ["Environment: AB_ROUNDS (25), AB_REQUESTS (600), AB_MODE=full|core (full).", "Each DIR is a copy of this repository (node_modules may be a link to this one's)."],
});
const TREES = cli.positionals.map((d) => resolve(d));
const ROUNDS = Number(process.env.AB_ROUNDS ?? 25);
const REQUESTS = Number(process.env.AB_REQUESTS ?? 600);
const MODE = process.env.AB_MODE ?? "full";

interface Arm {
  name: string;
  pid: number;
  key: string;
  fetch: (path: string, init: RequestInit) => Promise<Response>;
  close: () => Promise<void>;
}

async function startArm(tree: string): Promise<Arm> {
  // Each tree's own harness: it bundles that tree's sources (test/harness/build-workers.ts ROOT).
  const { startStack } = (await import(join(tree, "test/harness/stack.ts"))) as typeof import("../test/harness/stack");
  const { seedKey } = (await import(join(tree, "test/harness/seed.ts"))) as typeof import("../test/harness/seed");
  const { makeCoreTenant } = (await import(join(tree, "bench/lib/gateway-load.ts"))) as typeof import("./lib/gateway-load");
  const before = new Set(childPids(process.pid, /workerd/));
  const stack = await startStack({ gatewayBuild: "gateway-hotpath" });
  const pid = childPids(process.pid, /workerd/).find((p) => !before.has(p));
  if (pid === undefined) throw new Error(`no workerd process for ${tree}`);
  const { key, tenantId } = await seedKey(stack, { name: "hotpath-ab" });
  if (MODE === "core") await makeCoreTenant(stack, tenantId);
  return { name: tree.split("/").pop() ?? tree, pid, key, fetch: (p, i) => stack.fetch(p, i), close: () => stack.close() };
}

async function batch(a: Arm, n: number): Promise<void> {
  const res = await a.fetch(`/__hotpath?target=gateway&variant=&n=${n}`, { method: "POST", headers: { authorization: `Bearer ${a.key}` } });
  const out = (await res.json()) as { failed: number; example: string | null };
  if (!res.ok || out.failed > 0) throw new Error(`${a.name}: ${res.status}, ${out.failed} of ${n} failed, e.g. ${out.example}`);
}

async function main(): Promise<void> {
  if (TREES.length < 2) throw new Error("name at least two source trees (the first is the baseline)");
  for (const t of TREES) if (!existsSync(join(t, "test/harness/stack.ts"))) throw new Error(`${t} is not a copy of this repository`);
  const load = loadavg()[0] ?? 0;
  const arms: Arm[] = [];
  for (const t of TREES) arms.push(await startArm(t));
  for (const a of arms) await batch(a, 1000); // warm-up: JIT, key and settings caches, models loaded
  const samples = arms.map((): number[] => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < arms.length; k++) {
      const i = (k + r) % arms.length; // rotated: no tree always runs right after the same one
      const a = arms[i] as Arm;
      await batch(a, Math.ceil(REQUESTS / 5)); // unmeasured lead-in (code idle while others ran)
      const before = cpuSeconds(a.pid) ?? 0;
      await batch(a, REQUESTS);
      samples[i]?.push((((cpuSeconds(a.pid) ?? 0) - before) / REQUESTS) * 1e6);
    }
  }
  const base = samples[0] ?? [];
  console.log(`Machine: ${machineDescription()}; load average ${load.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end.`);
  console.log(`workerd CPU per request, mode ${MODE}, ${ROUNDS} rounds x ${REQUESTS} requests at concurrency 32:\n`);
  console.log("| tree | CPU per request (median) | − baseline (median of per-round differences) | ÷ baseline (median of per-round ratios) |");
  console.log("| --- | --- | --- | --- |");
  arms.forEach((a, i) => {
    const xs = samples[i] ?? [];
    const diff = median(xs.map((x, j) => x - (base[j] ?? Number.NaN)));
    const ratio = median(xs.map((x, j) => x / (base[j] ?? Number.NaN)));
    console.log(`| ${a.name} | ${median(xs).toFixed(0)} µs | ${diff.toFixed(0)} µs | ${ratio.toFixed(3)} |`);
  });
  for (const a of arms) await a.close().catch(() => undefined);
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
