/**
 * `npm run bench:profile`: a CPU profile of the gateway isolate under load, for finding what
 * to optimise (not a benchmark: numbers are for comparison within one run).
 * Starts the stack with the V8 inspector on, loads POST /v1/chat/completions at concurrency
 * 32 with autocannon, and prints the functions with the most self time and inclusive time.
 * Options: PROFILE_MODE=core|full (default core: guardrails, cache and router off),
 * BENCH_DURATION seconds (default 6), PROFILE_OUT=file.cpuprofile to save the raw profile.
 */
import { writeFileSync } from "node:fs";
import autocannon from "autocannon";
import { startStack } from "../test/harness/stack";
import { seedKey } from "../test/harness/seed";

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] }
interface Profile { nodes: ProfileNode[]; startTime: number; endTime: number }

const DURATION_S = Number(process.env.BENCH_DURATION ?? 6);
const MODE = process.env.PROFILE_MODE ?? "core";
const SAMPLE_US = 200;
const INSPECTOR_PORT = 9300 + Math.floor(Math.random() * 200);

function connect(url: string): Promise<(method: string, params?: object) => Promise<unknown>> {
  const ws = new WebSocket(url);
  let id = 0;
  const waiting = new Map<number, (v: unknown) => void>();
  ws.addEventListener("message", (e) => {
    const msg = JSON.parse(String(e.data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) waiting.get(msg.id)?.(msg.result);
  });
  return new Promise((ok, fail) => {
    ws.addEventListener("error", fail);
    ws.addEventListener("open", () =>
      ok((method, params = {}) => new Promise((resolve) => {
        const n = ++id;
        waiting.set(n, resolve);
        ws.send(JSON.stringify({ id: n, method, params }));
      })),
    );
  });
}

function summarise(p: Profile): void {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (f: CallFrame) => `${f.functionName || "(anon)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`;
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const n of p.nodes) {
    const hits = n.hitCount ?? 0;
    if (!hits) continue;
    total += hits;
    if (n.callFrame.functionName === "(idle)") idle += hits;
    self.set(name(n.callFrame), (self.get(name(n.callFrame)) ?? 0) + hits);
    const seen = new Set<string>();
    for (let cur: number | undefined = n.id; cur !== undefined; cur = parent.get(cur)) {
      const k = name((byId.get(cur) as ProfileNode).callFrame);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + hits);
    }
  }
  const busy = total - idle;
  const pct = (h: number) => `${((h / busy) * 100).toFixed(1).padStart(5)}%`;
  console.log(`samples ${total}, busy ${busy} (${((busy / total) * 100).toFixed(0)}% of wall time)`);
  console.log("\nTop self time (% of busy):");
  for (const [k, h] of [...self].filter(([k]) => !k.startsWith("(idle)")).sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(pct(h), k);
  console.log("\nTop inclusive time (% of busy):");
  for (const [k, h] of [...incl].filter(([k]) => !k.startsWith("(idle)") && !k.startsWith("(root)")).sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(pct(h), k);
}

async function main(): Promise<void> {
  const stack = await startStack({ inspectorPort: INSPECTOR_PORT });
  const { key, tenantId } = await seedKey(stack, { name: "profile" });
  if (MODE === "core") {
    const admin = await seedKey(stack, { role: "admin", tenantId });
    const off = { guardrails: { pii: { enabled: false }, injection: { enabled: false } }, cache: { enabled: false }, router: { enabled: false } };
    await stack.fetch(`/admin/v1/tenants/${tenantId}/settings`, { method: "PUT", headers: { authorization: `Bearer ${admin.key}`, "content-type": "application/json" }, body: JSON.stringify(off) });
  }
  const body = JSON.stringify({ model: "small-sim", messages: [{ role: "user", content: "Give me a one-line status update." }], max_tokens: 16 });
  const run = (duration: number) =>
    autocannon({ url: `${stack.url}/v1/chat/completions`, method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}`, "cache-control": "no-cache, no-store" }, body, connections: 32, duration });
  await run(2);
  const targets = (await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json`)).json()) as Array<{ id: string; webSocketDebuggerUrl: string }>;
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
  const profile = profiles.find((p) => /gateway/.test(p.id))?.profile;
  if (!profile) throw new Error("no gateway isolate in the inspector's targets");
  if (process.env.PROFILE_OUT) writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
  summarise(profile);
  await stack.close();
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
