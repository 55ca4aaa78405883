/**
 * `npm run bench:overhead -- --memory`: issue 18 item 1's memory clause (peak isolate memory
 * ≤ 300 MB, beside the bare Worker and Portkey) under a heap limit like production's. The same
 * servers and request as bench:overhead, twice: with
 * every JS heap capped at --isolate-heap-mb (workerd isolates through V8 --max-heap-size, Portkey's
 * Node with the same flag), then as they run by default. Every target gets the same number of
 * requests at concurrency 32 in both arms. Reports each process's peak resident memory (VmHWM),
 * errors, and req/s and CPU per request (the limit makes V8 collect sooner, which costs CPU).
 * Writes a marked section of docs/benchmarks/overhead.md.
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import { ROOT } from "../test/harness/build-workers";
import { CHAT_BODY } from "./lib/chat-body";
import { writeSection } from "./lib/doc-section";
import { machineDescription } from "./lib/machine";
import { startOverheadTargets, type Target } from "./lib/overhead-targets";
import { totalCpuSeconds } from "./lib/process-cpu";
import { peakRssMb } from "./lib/process-memory";
import { openHeapProbe } from "./soak/heap";

export const MEMORY_SECTION = "memory-limit";

interface Cell {
  requests: number;
  errors: number;
  rps: number;
  cpuUsPerRequest: number | null;
}

interface ArmResult {
  heapMb: number | null;
  /** Per target with a process of its own: peak resident MB. */
  peakMb: Map<string, number>;
  /** Per target: the fixed-count cell at concurrency 32. */
  cells: Map<string, Cell>;
  /** The gateway isolate's JS heap, highest committed and in use seen (sampled each second through the inspector), MB. */
  gatewayHeap: { committedMb: number; usedMb: number };
}

const INSPECTOR_PORT = 9500 + Math.floor(Math.random() * 150);

/** Samples the gateway isolate's JS heap every second until stopped; keeps the highest readings. */
async function watchGatewayHeap(port: number): Promise<() => Promise<{ committedMb: number; usedMb: number }>> {
  const probe = await openHeapProbe(port);
  const top = { committedMb: 0, usedMb: 0 };
  const read = async () => {
    const u = await probe.usage();
    top.committedMb = Math.max(top.committedMb, u.gatewayCommittedMb);
    top.usedMb = Math.max(top.usedMb, u.gatewayUsedMb);
  };
  const timer = setInterval(() => void read().catch(() => undefined), 1_000);
  return async () => {
    clearInterval(timer);
    await read().catch(() => undefined);
    return top;
  };
}

/**
 * A fixed number of requests at concurrency 32 (not a fixed time, as the main run does): memory
 * grows with the requests served, so both arms must serve the same number for their peaks to compare.
 */
async function fixedCount(t: Target, requests: number, connections = 32): Promise<Cell> {
  let next = 0;
  let errors = 0;
  const send = async () => {
    const res = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json", ...t.headers }, body: CHAT_BODY }).catch(() => null);
    if (!res?.ok) errors++;
    await res?.arrayBuffer();
  };
  for (let i = 0; i < 50; i++) await send();
  errors = 0;
  const cpuBefore = totalCpuSeconds(t.pids());
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next++ < requests) await send();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = totalCpuSeconds(t.pids());
  return { requests, errors, rps: requests / seconds, cpuUsPerRequest: cpuBefore === null || cpuAfter === null ? null : ((cpuAfter - cpuBefore) / requests) * 1e6 };
}

async function runArm(heapMb: number | null, requests: number): Promise<ArmResult> {
  const t = await startOverheadTargets(heapMb, INSPECTOR_PORT);
  try {
    const stopWatching = await watchGatewayHeap(INSPECTOR_PORT);
    const all = [...t.targets, t.cached, t.core].filter((x) => !x.name.startsWith("(a)"));
    const cells = new Map<string, Cell>();
    for (const x of all) cells.set(x.name, await fixedCount(x, requests));
    const peakMb = new Map(t.targets.filter((x) => x.pids().length > 0).map((x) => [x.name, x.pids().reduce((a, p) => a + (peakRssMb(p) ?? 0), 0)]));
    return { heapMb, peakMb, cells, gatewayHeap: await stopWatching() };
  } finally {
    await t.close();
  }
}

const armName = (a: ArmResult) => (a.heapMb === null ? "no limit (default)" : `${a.heapMb} MB heap limit`);

function render(arms: readonly ArmResult[], requests: number, loads: readonly number[]): string {
  const names = [...(arms[0]?.peakMb.keys() ?? [])];
  const peakRows = names.map((n) => `| ${n} | ${arms.map((a) => `${(a.peakMb.get(n) ?? 0).toFixed(0)} MB`).join(" | ")} |`);
  const cellNames = [...(arms[0]?.cells.keys() ?? [])];
  const cellText = (c: Cell | undefined) => (c ? `${c.errors} / ${c.rps.toFixed(0)} / ${c.cpuUsPerRequest === null ? "n/a" : c.cpuUsPerRequest.toFixed(0)}` : "n/a");
  const cellRows = cellNames.map((n) => `| ${n} | ${arms.map((a) => cellText(a.cells.get(n))).join(" | ")} |`);
  const gateway = arms.map((a) => ({ a, mb: [...a.peakMb].find(([n]) => n.startsWith("(c)"))?.[1] ?? Number.NaN }));
  return `## Peak memory with and without a heap limit (\`--memory\`)

Command: \`npm run bench:overhead -- --memory\` · ${new Date().toISOString()} · ${machineDescription()}; load average ${loads.map((l) => l.toFixed(1)).join(" → ")} (start, between arms, end).
The servers of the table above, started twice, each target sent the same ${requests} requests (the bench request, at concurrency 32, after 50 sequential ones; targets in turn; (e) and (f) are more requests to (c)'s process, so it served ${3 * requests + 150}): first with every JS heap capped at ${arms[0]?.heapMb ?? "?"} MB (each workerd isolate's by V8 \`--max-heap-size\` in workerd's config, bench/lib/workerd-v8-flags.ts; Portkey's Node by the same flag), as a deployed Worker's isolate is limited to 128 MB; then as they run by default (no isolate limit in Miniflare's workerd; Node's default heap limit). Peak resident memory (VmHWM) of each server's process: the whole workerd process (every isolate in it, Miniflare's simulators for the gateway's bindings, and workerd's native memory), not one isolate's heap.

| process | ${arms.map(armName).join(" | ")} |
| --- | ${arms.map(() => "---").join(" | ")} |
${peakRows.join("\n")}

Per target: errors (non-2xx and transport) / req/s / server CPU per request (µs). The limit makes V8 collect sooner, which costs CPU; req/s also moves with what else ran on the shared machine.

| target | ${arms.map(armName).join(" | ")} |
| --- | ${arms.map(() => "---").join(" | ")} |
${cellRows.join("\n")}

The gateway's isolate alone (its JS heap, read through workerd's inspector every second, which the gateway's workerd had open in both arms): at most ${arms.map((a) => `${a.gatewayHeap.committedMb.toFixed(0)} MB committed, ${a.gatewayHeap.usedMb.toFixed(0)} MB in use (${armName(a)})`).join("; ")}.

Issue 18 item 1 (peak isolate memory ≤ 300 MB): the gateway's isolate ${arms.map((a) => `${a.gatewayHeap.committedMb <= 300 ? "**met**" : "**missed**"} ${a.heapMb === null ? "without" : "with"} the limit (${a.gatewayHeap.committedMb.toFixed(0)} MB)`).join(", ")}; the gateway's whole workerd process peaked at ${gateway.map((g) => `${g.mb.toFixed(0)} MB (${armName(g.a)})`).join(" and ")}: ${gateway.map((g) => `${g.mb <= 300 ? "**met**" : "**missed**"} ${g.a.heapMb === null ? "without" : "with"} the limit`).join(", ")} on that reading.
`;
}

export async function memoryUnderLimit(heapMb: number, requests: number): Promise<void> {
  const loads = [loadavg()[0] ?? 0];
  const arms: ArmResult[] = [];
  for (const mb of [heapMb, null]) {
    arms.push(await runArm(mb, requests));
    loads.push(loadavg()[0] ?? 0);
  }
  const body = render(arms, requests, loads);
  writeSection(join(ROOT, "docs/benchmarks/overhead.md"), MEMORY_SECTION, body);
  console.log(body);
}
