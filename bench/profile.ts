/**
 * `npm run bench:profile`: a CPU profile of the gateway isolate under load, for finding what
 * to optimise (not a benchmark: numbers are for comparison within one run).
 * Starts the stack with the V8 inspector on, loads POST /v1/chat/completions at concurrency
 * 32 with autocannon, and prints the functions with the most self time and inclusive time.
 * Options: PROFILE_MODE=core|full|bare (default core: guardrails, cache and router off; bare:
 * the bare pass-through Worker, for comparison),
 * BENCH_DURATION seconds (default 6), PROFILE_OUT=file.cpuprofile to save the raw profile.
 */
import { writeFileSync } from "node:fs";
import autocannon from "autocannon";
import { startStack } from "../test/harness/stack";
import { seedKey } from "../test/harness/seed";
import { CHAT_BODY } from "./lib/chat-body";
import { makeCoreTenant, PASS_THROUGH_WORKER } from "./lib/gateway-load";
import { connect, summarise, type Profile } from "./lib/inspector-profile";
import { parseCli } from "../scripts/lib/cli";

const { values: cli } = parseCli({
  name: "npm run bench:profile",
  summary: "CPU profile of the gateway isolate under load (functions with the most self and inclusive time).",
  options: {
    stages: { type: "boolean", description: "instead: bench:overhead's (c) and (h) (every stage on) in workerds of their own, profiled in alternating windows at concurrency 32; prints process CPU per request, each isolate's sampled CPU and the gateway isolate's CPU by part (cache lookup, embedder, local vector index, limiter, OTel, shadow, router, ...) side by side, then an ablation in (h)'s process with the profiler off (limits, cache lookup, router decision switched off one at a time; bench/profile-stages.ts; ~5 min)" },
  },
  notes: ["With --stages: PROFILE_ROUNDS rounds (3; each: a window with the profiler off, then one with it on, per side), BENCH_DURATION s per window (6), PROFILE_SAMPLE_US (500).", "Environment: PROFILE_MODE=core|full|bare (default core), BENCH_DURATION seconds (default 6), PROFILE_OUT=file.cpuprofile, PROFILE_ASSETS=1 to keep the console's local asset router in front (off by default: in production it runs outside the Worker)."],
});

const DURATION_S = Number(process.env.BENCH_DURATION ?? 6);
const MODE = process.env.PROFILE_MODE ?? "core";
const SAMPLE_US = 200;
const INSPECTOR_PORT = 9300 + Math.floor(Math.random() * 200);


async function main(): Promise<void> {
  // Imported here, not at the top: --help then answers without loading Miniflare.
  const { Miniflare } = await import("miniflare");
  const stack = await startStack({ inspectorPort: INSPECTOR_PORT, staticAssets: process.env.PROFILE_ASSETS === "1" });
  // PROFILE_MODE=bare: the bare pass-through Worker of bench:overhead (b), for comparing how
  // much of each request the runtime's own isolates (Miniflare's entry, outbound wrappers) take.
  const bare =
    MODE === "bare"
      ? new Miniflare({ modules: true, script: PASS_THROUGH_WORKER, name: "bare", bindings: { UPSTREAM: stack.sim.url }, port: 0, host: "127.0.0.1", compatibilityDate: "2026-04-01", inspectorPort: INSPECTOR_PORT + 1 })
      : null;
  const bareUrl = bare ? (await bare.ready).toString().replace(/\/$/, "") : null;
  const inspector = bare ? INSPECTOR_PORT + 1 : INSPECTOR_PORT;
  const { key, tenantId } = await seedKey(stack, { name: "profile" });
  if (MODE === "core") await makeCoreTenant(stack, tenantId);
  const body = CHAT_BODY;
  const run = (duration: number) =>
    autocannon({ url: `${bareUrl ?? stack.url}/v1/chat/completions`, method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}`, "cache-control": "no-cache, no-store" }, body, connections: 32, duration });
  await run(2);
  const targets = (await (await fetch(`http://127.0.0.1:${inspector}/json`)).json()) as Array<{ id: string; webSocketDebuggerUrl: string }>;
  // Every isolate in the workerd process: the gateway, and Miniflare's KV/D1/Queue/DO
  // simulators, which share the process's thread and so its throughput.
  const sessions = await Promise.all(targets.map(async (t) => ({ id: t.id, send: await connect(t.webSocketDebuggerUrl) })));
  for (const { send } of sessions) {
    await send("Profiler.enable");
    await send("Profiler.setSamplingInterval", { interval: SAMPLE_US });
    await send("Profiler.start");
  }
  const r = await run(DURATION_S);
  const profiles = await Promise.all(sessions.map(async ({ id, send }) => ({ id, profile: ((await send("Profiler.stop")) as { profile: Profile }).profile })));
  const requests = r.requests.total;
  console.log(`mode ${MODE}: ${r.requests.average.toFixed(0)} req/s at concurrency 32, non-2xx ${r.non2xx}`);
  console.log("\nCPU per request by isolate (busy samples x interval / requests):");
  for (const { id, profile: p } of profiles) {
    const busy = p.nodes.filter((n) => !["(idle)", "(root)"].includes(n.callFrame.functionName)).reduce((a, n) => a + (n.hitCount ?? 0), 0);
    if (busy > 0) console.log(`${((busy * SAMPLE_US) / requests).toFixed(0).padStart(6)} us  ${id}`);
  }
  const profile = profiles.find((p) => (bare ? /bare/ : /gateway/).test(p.id))?.profile;
  if (!profile) throw new Error("no gateway isolate in the inspector's targets");
  if (process.env.PROFILE_OUT) writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
  summarise(profile);
  await bare?.dispose();
  await stack.close();
  process.exit(0);
}

(cli.stages ? import("./profile-stages").then((m) => m.profileStages()).then(() => process.exit(0)) : main()).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
