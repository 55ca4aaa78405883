/**
 * `npm run bench:latency-ab -- DIR...`: bench:overhead's concurrency-1 latency of the gateway
 * built from several source trees, side by side in one run (the first tree is the baseline).
 * Each tree (a copy of this repository, node_modules linked to this one's) is bundled from its
 * own sources and runs in its own workerd, with one bare pass-through Worker beside them as the
 * floor. Every round sends each (tree, cell) a batch of sequential keep-alive requests in a
 * rotated order and keeps the batch's p50; per-round differences to the baseline (and to the
 * bare Worker) cancel the slow drifts of a shared machine. Cells, all POST /v1/chat/completions
 * with bench:overhead's body:
 *   full    guardrails, cache, router on, `no-cache, no-store` (bench:overhead's (c));
 *   core    guardrails, cache, router off (bench:overhead's (f));
 *   limited full, for a tenant with rate limits and a monthly budget (one limiter round trip).
 * Environment: AB_ROUNDS (20), AB_REQUESTS per batch (150), AB_CELLS (full,core,limited).
 */
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { CHAT_BODY } from "./lib/chat-body";
import { hodgesLehmann, type Interval } from "./lib/interval";
import { machineDescription, median } from "./lib/machine";
import { parseCli } from "../scripts/lib/cli";

const cli = parseCli({
  name: "npm run bench:latency-ab --",
  summary: "Concurrency-1 p50 latency of the gateway built from several source trees and of a bare Worker, interleaved in one run (first tree = baseline). Runs for minutes.",
  positionals: "DIR...",
  notes: ["Environment: AB_ROUNDS (20), AB_REQUESTS (150 per batch), AB_CELLS (full,core,limited).", "Each DIR is a copy of this repository (node_modules may be a link to this one's)."],
});
const TREES = cli.positionals.map((d) => resolve(d));
const ROUNDS = Number(process.env.AB_ROUNDS ?? 20);
const REQUESTS = Number(process.env.AB_REQUESTS ?? 150);
const CELLS = (process.env.AB_CELLS ?? "full,core,limited").split(",");

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
}

async function startTree(tree: string): Promise<{ targets: Target[]; simUrl: string; close: () => Promise<void> }> {
  const { startStack } = (await import(join(tree, "test/harness/stack.ts"))) as typeof import("../test/harness/stack");
  const { seedKey } = (await import(join(tree, "test/harness/seed.ts"))) as typeof import("../test/harness/seed");
  const { makeCoreTenant } = (await import(join(tree, "bench/lib/gateway-load.ts"))) as typeof import("./lib/gateway-load");
  const stack = await startStack({ staticAssets: false });
  const name = tree.split("/").pop() ?? tree;
  const url = `${stack.url}/v1/chat/completions`;
  const full = await seedKey(stack, { name: "latency-ab" });
  const core = await seedKey(stack, { name: "latency-ab-core" });
  await makeCoreTenant(stack, core.tenantId);
  const limited = await seedKey(stack, { name: "latency-ab-limited" });
  const admin = await seedKey(stack, { role: "admin", tenantId: limited.tenantId });
  const put = { authorization: `Bearer ${admin.key}`, "content-type": "application/json" };
  // Limits and a budget far above what the run sends: every call is admitted after one limiter round trip.
  for (const [path, body] of [["limits", { tenant_requests_per_minute: 1_000_000, key_tokens_per_minute: 100_000_000 }], ["budget", { budgets: [{ monthly_usd: 100_000 }] }]] as const) {
    const res = await stack.fetch(`/admin/v1/tenants/${limited.tenantId}/${path}`, { method: "PUT", headers: put, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${name}: ${path} ${res.status} ${await res.text()}`);
  }
  const noCache = { "cache-control": "no-cache, no-store" };
  const all: Record<string, Target> = {
    full: { name: `${name} full`, url, headers: { authorization: `Bearer ${full.key}`, ...noCache } },
    core: { name: `${name} core`, url, headers: { authorization: `Bearer ${core.key}` } },
    limited: { name: `${name} limited`, url, headers: { authorization: `Bearer ${limited.key}`, ...noCache } },
  };
  return { targets: CELLS.map((c) => all[c]).filter((t): t is Target => t !== undefined), simUrl: stack.sim.url, close: () => stack.close() };
}

/** p50 of `n` sequential requests, ms (the same loop as bench:overhead's concurrency-1 cells). */
async function batchP50(t: Target, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const res = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json", ...t.headers }, body: CHAT_BODY });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${t.name}: ${res.status}`);
    times.push(performance.now() - started);
  }
  return median(times);
}

const fmt = (i: Interval) => `${i.mean.toFixed(3)} (${i.low.toFixed(3)} to ${i.high.toFixed(3)})`;

async function main(): Promise<void> {
  if (TREES.length < 2) throw new Error("name at least two source trees (the first is the baseline)");
  for (const t of TREES) if (!existsSync(join(t, "test/harness/stack.ts"))) throw new Error(`${t} is not a copy of this repository`);
  const loads = [loadavg()[0] ?? 0];
  const trees = [];
  for (const t of TREES) trees.push(await startTree(t));
  const { Miniflare } = await import("miniflare");
  const { PASS_THROUGH_WORKER } = await import("./lib/gateway-load");
  // The floor: bench:overhead's bare pass-through Worker, in front of the first tree's simulator.
  const bare = new Miniflare({ modules: true, script: PASS_THROUGH_WORKER, bindings: { UPSTREAM: trees[0]?.simUrl ?? "" }, port: 0, host: "127.0.0.1", compatibilityDate: "2026-04-01" });
  const bareTarget: Target = { name: "bare Worker", url: `${(await bare.ready).toString().replace(/\/$/, "")}/v1/chat/completions`, headers: {} };
  const targets = [bareTarget, ...trees.flatMap((t) => t.targets)];
  for (const t of targets) await batchP50(t, 200); // warm-up: JIT, key and settings caches, models loaded
  const p50s = new Map<string, number[]>(targets.map((t) => [t.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < targets.length; k++) {
      const t = targets[(k + r) % targets.length] as Target; // rotated: no target always follows the same one
      p50s.get(t.name)?.push(await batchP50(t, REQUESTS));
    }
  }
  loads.push(loadavg()[0] ?? 0);
  report(targets, p50s, loads);
  await bare.dispose();
  for (const t of trees) await t.close().catch(() => undefined);
  process.exit(0);
}

function report(targets: Target[], p50s: Map<string, number[]>, loads: number[]): void {
  const bare = p50s.get("bare Worker") ?? [];
  const base = TREES[0]?.split("/").pop() ?? "";
  console.log(`Machine: ${machineDescription()}; load average ${loads.map((l) => l.toFixed(1)).join(" → ")} (start → end).`);
  console.log(`Concurrency 1, ${ROUNDS} rounds x ${REQUESTS} sequential requests per target, targets rotated each round; per round each batch's p50 (ms).`);
  console.log("Intervals: Hodges-Lehmann estimate of the per-round paired differences with its 95% interval (bench/lib/interval.ts).\n");
  console.log(`| target | p50 ms (median of rounds) | − bare Worker, ms | − ${base} (same cell), ms |`);
  console.log("| --- | --- | --- | --- |");
  for (const t of targets) {
    const xs = p50s.get(t.name) ?? [];
    const cell = t.name.split(" ").pop() ?? "";
    const baseXs = p50s.get(`${base} ${cell}`);
    const vsBare = t === targets[0] ? "" : fmt(hodgesLehmann(xs.map((x, i) => x - (bare[i] ?? Number.NaN))));
    const vsBase = baseXs && !t.name.startsWith(`${base} `) ? fmt(hodgesLehmann(xs.map((x, i) => x - (baseXs[i] ?? Number.NaN)))) : "";
    console.log(`| ${t.name} | ${median(xs).toFixed(3)} | ${vsBare} | ${vsBase} |`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
