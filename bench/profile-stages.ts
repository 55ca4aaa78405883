/**
 * `npm run bench:profile -- --stages`: where bench:overhead's (h) (every stage on) spends the CPU
 * that (c) (full, cache skipped) does not. Both gateways run in workerds of their own, as in
 * bench:overhead ((c): the test stack with `no-cache, no-store` and `small-sim`; (h):
 * startAllStages, OTel export to an in-process receiver, shadow rate 0.02, limits and a budget,
 * `auto`, `no-store`), each with its inspector open. Windows alternate (c), (h), (c), (h)...:
 * in each, every isolate of that process is CPU-profiled while autocannon loads it at
 * concurrency 32, and the process's CPU time is read from /proc around it.
 *
 * Attribution: each sample's stack is walked from the leaf to the first frame of our own code
 * (workers/, shared/; library frames are skipped), and that frame's module (read from the
 * bundle's esbuild `// path` markers) names the part. Samples with no frame of ours are runtime
 * (GC, `(program)`, natives). Work resumed after an `await` is counted where it resumes (the
 * stack has lost its caller), so e.g. a shadow's upstream call, resumed in run-attempts, counts as
 * upstream, not shadow: the shadow part is read from its own frames plus an estimate.
 */
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import { builtEntry } from "../test/harness/build-workers";
import { seedKey } from "../test/harness/seed";
import { startStack } from "../test/harness/stack";
import { CHAT_BODY } from "./lib/chat-body";
import { connect, type CallFrame } from "./lib/inspector-profile";
import { machineDescription } from "./lib/machine";
import { childPids } from "./lib/process-memory";
import { totalCpuSeconds } from "./lib/process-cpu";
import { AUTO_CHAT_BODY, startAllStages } from "./lib/overhead-targets";
import { loadavg } from "node:os";

interface Node { id: number; callFrame: CallFrame; children?: number[] }
interface SampledProfile { nodes: Node[]; samples?: number[]; timeDeltas?: number[] }
type Send = (method: string, params?: object) => Promise<unknown>;

/** The parts, in the order tried on a frame's module path (first match wins). */
export const PARTS: Array<[string, RegExp]> = [
  ["cache: embedder forward pass (local, in-process)", /cache\/embedder\//],
  ["cache: local vector index DO (stand-in for Vectorize)", /cache\/vector-store\/local\/(local-vector-index|lsh-signature|flat-index)/],
  ["cache: lookup, gateway code (key, guards, gate, KV/vector clients)", /cache\/|chat\/stages\/cache-stage/],
  ["limiter DO (local, in-process)", /limits\/(rate-limiter\.ts|rate-limiter-core|tenant-limiter-core|budget-ledger-core)/],
  ["limits + budget, gateway code (admit client, headers, settle)", /limits\/|middleware\/(budget|rate-limit|settle-admission)/],
  ["OTel span building + export", /shared\/otel\/|telemetry\/otel\//],
  ["shadow calls (own frames)", /chat\/shadow-tier|middleware\/side-call-budget/],
  ["router (classification + decision)", /router\/(?!attempts\/|cascade\/)|chat\/stages\/route-stage|\/onnx\//],
  ["guardrails", /guardrails\//],
  ["usage event, metrics, other telemetry", /usage\/|telemetry\//],
  ["rest of the gateway (auth, parse, handler, upstream call, answer)", /./],
];
const RUNTIME = "runtime: natives and libraries with no frame of ours above";
const GC = "runtime: garbage collector";
/** V8's "(program)": not attributable, and seen in every isolate of the process while another one runs, so left out of sums. */
const PROGRAM = "(program)";

/** Module path for each line of the bundle, from esbuild's `// path` markers. */
function moduleIndex(bundle: string): (line: number) => string {
  const starts: Array<[number, string]> = [];
  bundle.split("\n").forEach((l, i) => {
    const m = /^\/\/ ((?:workers|shared|config|node_modules)\/\S+|\.\.\/\S+)$/.exec(l);
    if (m?.[1]) starts.push([i, m[1]]);
  });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = "";
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [at, path] = starts[mid] as [number, string];
      if (at <= line) { found = path; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  };
}

/** Microseconds of samples per part (gateway isolate) and per isolate (all), for one window. */
function attribute(p: SampledProfile, isBundle: (url: string) => boolean, moduleAt: (line: number) => string): Map<string, number> {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const partOf = new Map<number, string>();
  const classify = (id: number): string => {
    const cached = partOf.get(id);
    if (cached) return cached;
    let part = RUNTIME;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = (byId.get(cur) as Node).callFrame;
      if (!isBundle(f.url)) continue;
      const mod = moduleAt(f.lineNumber);
      if (!mod || mod.includes("node_modules")) continue;
      part = (PARTS.find(([, re]) => re.test(mod)) as [string, RegExp])[0];
      break;
    }
    partOf.set(id, part);
    return part;
  };
  const out = new Map<string, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i] as number);
    if (!node || ["(idle)", "(root)"].includes(node.callFrame.functionName)) continue;
    // A sample stands for the time until the next one (the last: the interval).
    const us = deltas[i + 1] ?? SAMPLE_US;
    const fn = node.callFrame.functionName;
    const part = fn === "(program)" ? PROGRAM : fn === "(garbage collector)" ? GC : classify(node.id);
    out.set(part, (out.get(part) ?? 0) + us);
  }
  return out;
}

/** An inspector call that fails after 20 s instead of hanging the bench. */
function timed(id: string, send: Send): Send {
  return (method, params) => Promise.race([send(method, params), new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`${id}: ${method} got no answer in 20 s`)), 20_000).unref())]);
}

const SAMPLE_US = Number(process.env.PROFILE_SAMPLE_US ?? 500);

interface Side {
  label: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  pid: number;
  inspectorPort: number;
  requests: number;
  cpuS: number;
  /** Sampled µs per part, per isolate (inspector target), summed over windows. */
  parts: Map<string, Map<string, number>>;
  /** Sampled µs per isolate (inspector target id), summed over windows. */
  isolates: Map<string, number>;
  rps: number[];
  /** Windows without the profiler: process CPU alone. */
  plain: { requests: number; cpuS: number; rps: number[] };
  sessions?: Array<{ id: string; send: Send }>;
}

async function plainWindow(side: Side, durationS: number): Promise<void> {
  const before = totalCpuSeconds([side.pid]);
  const r = await autocannon({ url: side.url, method: "POST", headers: { "content-type": "application/json", ...side.headers }, body: side.body, connections: 32, duration: durationS });
  const after = totalCpuSeconds([side.pid]);
  if (r.non2xx + r.errors > 0) throw new Error(`${side.label}: ${r.non2xx} non-2xx and ${r.errors} errors in a window`);
  side.plain.requests += r.requests.total;
  side.plain.cpuS += (after ?? 0) - (before ?? 0);
  side.plain.rps.push(r.requests.average);
}

async function window(side: Side, durationS: number, isBundle: (url: string) => boolean, moduleAt: (line: number) => string): Promise<void> {
  // One session per isolate for the whole run: workerd answers only the first one opened.
  if (!side.sessions) {
    const targets = (await (await fetch(`http://127.0.0.1:${side.inspectorPort}/json`)).json()) as Array<{ id: string; title?: string; webSocketDebuggerUrl: string }>;
    side.sessions = await Promise.all(targets.map(async (t) => ({ id: t.title || t.id, send: timed(t.title || t.id, (await connect(t.webSocketDebuggerUrl)) as Send) })));
    for (const { send } of side.sessions) {
      await send("Profiler.enable");
      await send("Profiler.setSamplingInterval", { interval: SAMPLE_US });
    }
  }
  const sessions = side.sessions;
  for (const { send } of sessions) await send("Profiler.start");
  const before = totalCpuSeconds([side.pid]);
  const r = await autocannon({ url: side.url, method: "POST", headers: { "content-type": "application/json", ...side.headers }, body: side.body, connections: 32, duration: durationS });
  const after = totalCpuSeconds([side.pid]);
  for (const { id, send } of sessions) {
    const { profile } = (await send("Profiler.stop")) as { profile: SampledProfile };
    const parts = attribute(profile, isBundle, moduleAt);
    const total = [...parts].filter(([k]) => k !== PROGRAM).reduce((a, [, b]) => a + b, 0);
    side.isolates.set(id, (side.isolates.get(id) ?? 0) + total);
    const acc = side.parts.get(id) ?? new Map<string, number>();
    for (const [k, v] of parts) acc.set(k, (acc.get(k) ?? 0) + v);
    side.parts.set(id, acc);
  }
  if (r.non2xx + r.errors > 0) throw new Error(`${side.label}: ${r.non2xx} non-2xx and ${r.errors} errors in a window`);
  side.requests += r.requests.total;
  side.cpuS += (after ?? 0) - (before ?? 0);
  side.rps.push(r.requests.average);
}

export async function profileStages(): Promise<void> {
  const rounds = Number(process.env.PROFILE_ROUNDS ?? 3);
  const durationS = Number(process.env.BENCH_DURATION ?? 6);
  const loadStart = loadavg()[0] ?? 0;
  const base = 9300 + Math.floor(Math.random() * 200);
  const before = new Set(childPids(process.pid, /workerd/));
  const started = () => childPids(process.pid, /workerd/).filter((p) => !before.has(p));
  console.error("starting (c)'s and (h)'s workerds");
  const stack = await startStack({ staticAssets: false, inspectorPort: base });
  const [cPid] = started();
  const all = await startAllStages(() => started().filter((p) => p !== cPid), base + 1);
  // Read the markers of the bundle these workerds loaded (built once by this process).
  const entry = builtEntry("gateway");
  const moduleAt = moduleIndex(readFileSync(entry, "utf8"));
  const isBundle = (url: string) => url.endsWith("/index.js") || url === "index.js" || url.endsWith("gateway/index.js");
  try {
    console.error(`(c) pid ${cPid}, (h) pid ${all.target.pids()[0]}; warming up`);
    const { key } = await seedKey(stack, { name: "profile-stages-c" });
    const fresh = (label: string, url: string, headers: Record<string, string>, body: string, pid: number, inspectorPort: number): Side =>
      ({ label, url, headers, body, pid, inspectorPort, requests: 0, cpuS: 0, parts: new Map(), isolates: new Map(), rps: [], plain: { requests: 0, cpuS: 0, rps: [] } });
    const c = fresh("(c)", `${stack.url}/v1/chat/completions`, { authorization: `Bearer ${key}`, "cache-control": "no-cache, no-store" }, CHAT_BODY, cPid as number, base);
    const h = fresh("(h)", all.target.url, all.target.headers, AUTO_CHAT_BODY, all.target.pids()[0] as number, base + 1);
    for (const s of [c, h]) await autocannon({ url: s.url, method: "POST", headers: { "content-type": "application/json", ...s.headers }, body: s.body, connections: 32, duration: 3 });
    for (let r = 0; r < rounds; r++) {
      for (const s of r % 2 === 0 ? [c, h] : [h, c]) {
        console.error(`round ${r + 1}/${rounds}: ${s.label}`);
        await plainWindow(s, durationS);
        await window(s, durationS, isBundle, moduleAt);
      }
    }
    // Ablation in (h)'s own process, profiler off: each arm turns one stage of (h) off per request
    // or per tenant, so the process CPU difference is that stage's cost (KV, vector index and
    // limiter DO included, as they run in this process).
    const { key: plainKey } = await seedKey(all.stack, { name: "profile-stages-h-nolimits" });
    const noLimits = { ...all.target.headers, authorization: `Bearer ${plainKey}` };
    const arm = (label: string, headers: Record<string, string>, body: string) => fresh(label, all.target.url, headers, body, h.pid, h.inspectorPort);
    const arms = [
      arm("(h) again", all.target.headers, AUTO_CHAT_BODY),
      arm("(h) without limits + budget (tenant without them)", noLimits, AUTO_CHAT_BODY),
      arm("(h) without the cache lookup (no-cache, no-store)", { ...all.target.headers, "cache-control": "no-cache, no-store" }, AUTO_CHAT_BODY),
      arm("(h) without the router's decision and shadows (model small-sim)", all.target.headers, CHAT_BODY),
      arm("(c)'s request in (h)'s process (all three off; OTel export still on)", { ...noLimits, "cache-control": "no-cache, no-store" }, CHAT_BODY),
    ];
    for (const a of arms) await autocannon({ url: a.url, method: "POST", headers: { "content-type": "application/json", ...a.headers }, body: a.body, connections: 32, duration: 1 });
    for (let r = 0; r < rounds; r++) {
      for (const a of r % 2 === 0 ? arms : [...arms].reverse()) {
        console.error(`ablation round ${r + 1}/${rounds}: ${a.label}`);
        await plainWindow(a, durationS);
      }
    }
    report(c, h, rounds, durationS, loadStart, all.probe, all.traces());
    const cpu = (s: Side) => (s.plain.cpuS * 1e6) / s.plain.requests;
    const ref = cpu(arms[0] as Side);
    console.log(`\nAblation in (h)'s process (profiler off, ${rounds} windows of ${durationS} s per arm, arms rotated):\n| arm | req/s | workerd CPU per request (µs) | (h) again − arm |\n| --- | --- | --- | --- |`);
    for (const a of arms) console.log(`| ${a.label} | ${(a.plain.rps.reduce((x, y) => x + y, 0) / a.plain.rps.length).toFixed(0)} | ${cpu(a).toFixed(0)} | ${(ref - cpu(a)).toFixed(0)} |`);
    console.log(`| (c) in its own process (no OTel export), profiler-off windows above | ${(c.plain.rps.reduce((x, y) => x + y, 0) / c.plain.rps.length).toFixed(0)} | ${cpu(c).toFixed(0)} | ${(ref - cpu(c)).toFixed(0)} |`);
  } finally {
    await all.close();
    await stack.close();
  }
}

function report(c: Side, h: Side, rounds: number, durationS: number, loadStart: number, probe: Record<string, string>, traces: number): void {
  const per = (s: Side, us: number) => us / s.requests;
  const f = (v: number) => v.toFixed(0).padStart(6);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`bench:profile --stages: ${rounds} alternating windows of ${durationS} s per side at concurrency 32, sampling every ${SAMPLE_US} us`);
  console.log(`Machine: ${machineDescription()}; load average ${loadStart.toFixed(1)} -> ${(loadavg()[0] ?? 0).toFixed(1)}`);
  console.log(`(h) probe: ${Object.entries(probe).map(([k, v]) => `${k}: ${v}`).join(", ")}; traces received ${traces}\n`);
  console.log(`| | (c) | (h) | (h) − (c) |\n| --- | --- | --- | --- |`);
  const plainC = (c.plain.cpuS * 1e6) / c.plain.requests;
  const plainH = (h.plain.cpuS * 1e6) / h.plain.requests;
  console.log(`| profiler off: req/s (mean of windows) | ${mean(c.plain.rps).toFixed(0)} | ${mean(h.plain.rps).toFixed(0)} | |`);
  console.log(`| profiler off: workerd process CPU per request (/proc, µs) | ${f(plainC)} | ${f(plainH)} | ${f(plainH - plainC)} |`);
  console.log(`| requests profiled | ${c.requests} | ${h.requests} | |`);
  console.log(`| req/s (mean of windows, profiler on) | ${mean(c.rps).toFixed(0)} | ${mean(h.rps).toFixed(0)} | |`);
  const cpuC = (c.cpuS * 1e6) / c.requests;
  const cpuH = (h.cpuS * 1e6) / h.requests;
  console.log(`| workerd process CPU per request (/proc, µs) | ${f(cpuC)} | ${f(cpuH)} | ${f(cpuH - cpuC)} |`);
  const names = [...new Set([...c.isolates.keys(), ...h.isolates.keys()])].sort();
  let sampledC = 0;
  let sampledH = 0;
  for (const n of names) {
    const [a, b] = [per(c, c.isolates.get(n) ?? 0), per(h, h.isolates.get(n) ?? 0)];
    sampledC += a;
    sampledH += b;
    if (a > 1 || b > 1) console.log(`| isolate ${n} (sampled µs: JS + GC, without (program)) | ${f(a)} | ${f(b)} | ${f(b - a)} |`);
  }
  console.log(`| process CPU not in those samples ((program), workerd's native I/O and HTTP, other threads) | ${f(cpuC - sampledC)} | ${f(cpuH - sampledH)} | ${f(cpuH - sampledH - (cpuC - sampledC))} |`);
  // The gateway's isolate: the busiest whose inspector name says gateway (its DOs run in it too).
  const gw = names.filter((n) => /gateway/.test(n)).sort((x, y) => (h.isolates.get(y) ?? 0) - (h.isolates.get(x) ?? 0))[0] ?? "";
  console.log(`\nGateway isolate ${gw}, by part (sampled µs per request):\n| part | (c) | (h) | (h) − (c) |\n| --- | --- | --- | --- |`);
  for (const part of [...PARTS.map(([p]) => p), GC, RUNTIME, PROGRAM]) {
    const [a, b] = [per(c, c.parts.get(gw)?.get(part) ?? 0), per(h, h.parts.get(gw)?.get(part) ?? 0)];
    console.log(`| ${part} | ${f(a)} | ${f(b)} | ${f(b - a)} |`);
  }
}
