/**
 * `npm run bench:hotpath`: CPU per request of the code alone, inside workerd. The gateway is
 * bundled with bench/hotpath/workerd-entry.ts, which drives chat requests through it inside
 * the isolate against an instant in-memory upstream; the same loop drives the minimal JSON
 * proxy of bench:overhead (g) and a bare pass-through. workerd's process CPU is read around
 * each batch. No sockets, Miniflare entry Worker or load generator are in these numbers, so
 * they move far less than bench:overhead's on a shared machine: use this to iterate on the
 * hot path, and bench:overhead for the end-to-end numbers the targets are stated in.
 * Options: HOTPATH_ROUNDS (default 7), HOTPATH_REQUESTS per batch (default 3000),
 * HOTPATH_MODE=core|full (default core: guardrails, cache and router off for the tenant),
 * HOTPATH_PROFILE=1 to print a CPU profile of the gateway batches (HOTPATH_PROFILE_OUT=file to
 * keep the raw .cpuprofile).
 */
import { writeFileSync } from "node:fs";
import { childPids } from "./lib/process-memory";
import { cpuSeconds } from "./lib/process-cpu";
import { startStack } from "../test/harness/stack";
import { seedKey } from "../test/harness/seed";
import { connect, summarise, type Profile } from "./lib/inspector-profile";

const ROUNDS = Number(process.env.HOTPATH_ROUNDS ?? 7);
const REQUESTS = Number(process.env.HOTPATH_REQUESTS ?? 3000);
const MODE = process.env.HOTPATH_MODE ?? "core";
const TARGETS = ["bare", "proxy", "gateway"] as const;
const PROFILE = process.env.HOTPATH_PROFILE === "1";
const INSPECTOR_PORT = 9500 + Math.floor(Math.random() * 200);

/** Profiles `work` in the gateway isolate and prints the summary. */
async function profiled(work: () => Promise<void>): Promise<void> {
  const targets = (await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json`)).json()) as Array<{ id: string; webSocketDebuggerUrl: string }>;
  const target = targets.find((t) => /gateway/.test(t.id));
  if (!target) throw new Error("no gateway isolate in the inspector's targets");
  const send = await connect(target.webSocketDebuggerUrl);
  await send("Runtime.enable");
  const heap = (await send("Runtime.getHeapUsage")) as { usedSize: number; totalSize: number };
  console.log(`gateway isolate heap: ${(heap.usedSize / 2 ** 20).toFixed(1)} MiB used of ${(heap.totalSize / 2 ** 20).toFixed(1)} MiB`);
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 100 });
  await send("Profiler.start");
  await work();
  const { profile } = (await send("Profiler.stop")) as { profile: Profile };
  if (process.env.HOTPATH_PROFILE_OUT) writeFileSync(process.env.HOTPATH_PROFILE_OUT, JSON.stringify(profile));
  summarise(profile);
}

async function main(): Promise<void> {
  const stack = await startStack({ gatewayBuild: "gateway-hotpath", ...(PROFILE ? { inspectorPort: INSPECTOR_PORT } : {}) });
  const { key, tenantId } = await seedKey(stack, { name: "hotpath" });
  if (MODE === "core") {
    const admin = await seedKey(stack, { role: "admin", tenantId });
    const off = { guardrails: { pii: { enabled: false }, injection: { enabled: false } }, cache: { enabled: false }, router: { enabled: false } };
    const res = await stack.fetch(`/admin/v1/tenants/${tenantId}/settings`, { method: "PUT", headers: { authorization: `Bearer ${admin.key}`, "content-type": "application/json" }, body: JSON.stringify(off) });
    if (!res.ok) throw new Error(`settings: ${res.status}`);
  }
  const [pid] = childPids(process.pid, /workerd/);
  if (pid === undefined) throw new Error("no workerd process");
  const batch = async (target: string, n: number) => {
    const res = await stack.fetch(`/__hotpath?target=${target}&n=${n}`, { method: "POST", headers: { authorization: `Bearer ${key}` } });
    const out = (await res.json()) as { failed: number; example: string | null };
    if (!res.ok || out.failed > 0) throw new Error(`${target}: ${res.status}, ${out.failed} of ${n} failed, e.g. ${out.example}`);
  };
  for (const t of TARGETS) await batch(t, 1000); // warm-up: JIT, key and settings caches
  if (PROFILE) {
    // Batches, not one long loop: each batch is one incoming request, and a request may hold
    // at most 10,000 live timers (every attempt arms a first-byte timeout).
    await profiled(async () => {
      for (let r = 0; r < ROUNDS; r++) await batch("gateway", REQUESTS);
    });
    await stack.close();
    process.exit(0);
  }
  const samples = new Map<string, number[]>(TARGETS.map((t) => [t, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const t of TARGETS) {
      const before = cpuSeconds(pid) ?? 0;
      await batch(t, REQUESTS);
      samples.get(t)?.push((((cpuSeconds(pid) ?? 0) - before) / REQUESTS) * 1e6);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  console.log(`workerd CPU per request, in-isolate loop at concurrency 32 (mode ${MODE}; median of ${ROUNDS} x ${REQUESTS}):`);
  for (const [t, xs] of samples) console.log(`${median(xs).toFixed(1).padStart(8)} us  ${t}   [${xs.map((x) => x.toFixed(0)).join(" ")}]`);
  await stack.close();
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
