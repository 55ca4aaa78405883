/**
 * bench:overhead's servers, started together: the gateway (workerd), a bare pass-through Worker
 * and the minimal JSON proxy (each its own workerd), and Portkey on Node, all in front of the
 * gateway stack's simulator. `heapMb` caps every JS heap among them, the workerd isolates' (V8
 * --max-heap-size in workerd's config, workerd-v8-flags.ts) and Portkey's Node, at that many MB
 * as a deployed Worker's isolate is limited to 128 MB; null starts them as they run by default.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { ROOT } from "../../test/harness/build-workers";
import { seedKey } from "../../test/harness/seed";
import { startStack, type Stack } from "../../test/harness/stack";
import { limitTenant, makeCoreTenant, PASS_THROUGH_WORKER } from "./gateway-load";
import { childPids } from "./process-memory";
import { V8_FLAGS_ENV, v8FlagsApplied, v8FlagsHookActive } from "./workerd-v8-flags";
import { startOtlpReceiver } from "../../shared/otel/otlp-receiver";
import { CHAT_BODY } from "./chat-body";

export interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  pids: () => number[];
  /** The request body, when not the bench's CHAT_BODY. */
  body?: string;
}

export interface OverheadTargets {
  stack: Stack;
  /** (a) simulator, (b) bare Worker, (g) JSON proxy, (c) gateway, (d) Portkey: the ones with a process of their own. */
  targets: Target[];
  /** (e) the gateway answering from its exact cache, (f) the gateway core: (c)'s process. */
  cached: Target;
  core: Target;
  /** (h) every stage on, in a gateway workerd of its own (started only when asked: allStagesTarget). */
  allStages: AllStages | null;
  close(): Promise<void>;
}

export interface AllStages {
  target: Target;
  /** What one request to (h) answered with before the run: evidence that each stage ran. */
  probe: Record<string, string>;
  /** Traces the OTLP receiver has received so far. */
  traces: () => number;
}

/** Target (g): bench/fixtures/json-proxy-worker.ts bundled to one ES module. */
function jsonProxyScript(): string {
  const out = buildSync({ entryPoints: [join(ROOT, "bench/fixtures/json-proxy-worker.ts")], bundle: true, format: "esm", platform: "neutral", mainFields: ["module", "main"], write: false, minify: false });
  return out.outputFiles[0]?.text ?? "";
}

async function startPortkey(port: number, heapMb: number | null): Promise<{ pid: number; port: number; stop: () => void }> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@portkey-ai/gateway/build/start-server.js");
  const child = spawn(process.execPath, [...(heapMb === null ? [] : [`--max-heap-size=${heapMb}`]), entry, `--port=${port}`, "--headless"], { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((ok, fail) => {
    child.stdout.on("data", (b: Buffer) => /Ready|running/i.test(b.toString()) && ok());
    child.on("exit", (c) => fail(new Error(`portkey exited ${c}`)));
  });
  return { pid: child.pid as number, port, stop: () => child.kill("SIGTERM") };
}

/** `inspectorPort`: open workerd's inspector for the gateway's stack (to read its isolates' heaps). */
export async function startOverheadTargets(heapMb: number | null = null, inspectorPort?: number, options: { allStages?: boolean } = {}): Promise<OverheadTargets> {
  // Imported here, not at the top: --help then answers without loading Miniflare.
  const { Miniflare } = await import("miniflare");
  const flags = heapMb === null ? "" : `--max-heap-size=${heapMb}`;
  process.env[V8_FLAGS_ENV] = flags;
  try {
    const before = new Set(childPids(process.pid, /workerd/));
    const started = () => childPids(process.pid, /workerd/).filter((p) => !before.has(p));
    // Without the local asset router: the Worker's own cost, as in production (test/harness/stack.ts).
    const stack = await startStack({ staticAssets: false, ...(inspectorPort ? { inspectorPort } : {}) });
    if (flags && (!v8FlagsHookActive() || v8FlagsApplied().join(" ") !== flags)) {
      await stack.close();
      throw new Error(`${flags} did not reach workerd's config (bench/lib/workerd-v8-flags.ts): Miniflare changed?`);
    }
    const [gatewayPid] = started();
    const { key } = await seedKey(stack, { name: "bench" });
    // A second tenant with guardrails, cache and router switched off: the core gateway alone.
    const coreKey = await seedKey(stack, { name: "bench-core" });
    await makeCoreTenant(stack, coreKey.tenantId);
    const bare = new Miniflare({ modules: true, script: PASS_THROUGH_WORKER, bindings: { UPSTREAM: stack.sim.url }, port: 0, host: "127.0.0.1", compatibilityDate: "2026-04-01" });
    const bareUrl = (await bare.ready).toString().replace(/\/$/, "");
    const barePid = started().find((p) => p !== gatewayPid);
    const proxy = new Miniflare({ modules: true, script: jsonProxyScript(), bindings: { UPSTREAM: stack.sim.url }, port: 0, host: "127.0.0.1", compatibilityDate: "2026-04-01" });
    const proxyUrl = (await proxy.ready).toString().replace(/\/$/, "");
    const proxyPid = started().find((p) => p !== gatewayPid && p !== barePid);
    const portkey = await startPortkey(18_900 + Math.floor(Math.random() * 50), heapMb);
    const allStages = options.allStages ? await startAllStages(() => started().filter((p) => p !== gatewayPid && p !== barePid && p !== proxyPid)) : null;
    const only = (pid: number | undefined) => () => (pid ? [pid] : []);
    const targets: Target[] = [
      { name: "(a) simulator direct", url: `${stack.sim.baseUrl}/chat/completions`, headers: {}, pids: () => [] },
      { name: "(b) bare Worker (workerd)", url: `${bareUrl}/v1/chat/completions`, headers: {}, pids: only(barePid) },
      { name: "(g) minimal JSON proxy (Hono + zod, workerd)", url: `${proxyUrl}/v1/chat/completions`, headers: {}, pids: only(proxyPid) },
      // Every request goes upstream (no cache) so (c) does the same work as (a), (b) and (d) plus the gateway's.
      { name: "(c) gateway (workerd)", url: `${stack.url}/v1/chat/completions`, headers: { authorization: `Bearer ${key}`, "cache-control": "no-cache, no-store" }, pids: only(gatewayPid) },
      {
        name: "(d) Portkey gateway (Node)",
        url: `http://127.0.0.1:${portkey.port}/v1/chat/completions`,
        headers: { authorization: "Bearer sk-bench", "x-portkey-provider": "openai", "x-portkey-custom-host": stack.sim.baseUrl },
        pids: () => [portkey.pid],
      },
    ];
    return {
      stack,
      targets,
      // The same request answered from the gateway's exact cache (no upstream call).
      cached: { name: "(e) gateway, exact-cache hit", url: `${stack.url}/v1/chat/completions`, headers: { authorization: `Bearer ${key}` }, pids: only(gatewayPid) },
      core: { name: "(f) gateway core (guardrails, cache, router off)", url: `${stack.url}/v1/chat/completions`, headers: { authorization: `Bearer ${coreKey.key}` }, pids: only(gatewayPid) },
      allStages: allStages && { target: allStages.target, probe: allStages.probe, traces: allStages.traces },
      async close() {
        await allStages?.close();
        portkey.stop();
        await bare.dispose();
        await proxy.dispose();
        await stack.close();
      },
    };
  } finally {
    delete process.env[V8_FLAGS_ENV];
  }
}

export const ALL_STAGES_NAME = "(h) gateway, every stage on (cache miss, auto, limits, OTel)";

/** The bench request as (h) sends it: the router chooses the tier. */
export const AUTO_CHAT_BODY = JSON.stringify({ ...(JSON.parse(CHAT_BODY) as Record<string, unknown>), model: "auto" });

/**
 * Target (h): the gateway with every stage a request can meet by default turned on, in a
 * workerd of its own (OTel export is a deployment var, so (c)'s process cannot have it without
 * changing (c)). Its tenant keeps the default guardrails, cache and router settings and has
 * rate limits and a monthly budget (one limiter round trip per request); the request names
 * `"model": "auto"` (the router decides) and sends `Cache-Control: no-store`, so the cache's
 * whole lookup runs (generation, exact KV read, embedding, calibration gate, vector query) and
 * misses, as nothing is ever stored; every trace is sampled and POSTed to an OTLP receiver in
 * this process; the shadow sample is wrangler.toml's rate (the router sends the bench prompt
 * to the frontier, so ~2% of requests get a small-tier shadow). `newPids` lists workerd
 * processes started since the other targets; `inspectorPort` opens workerd's inspector on (h)'s
 * process (bench:profile --stages profiles it).
 */
export async function startAllStages(newPids: () => number[], inspectorPort?: number): Promise<AllStages & { stack: Stack; close(): Promise<void> }> {
  let traces = 0;
  const receiver = await startOtlpReceiver({
    onSpans: (got) => {
      traces += got.filter((s) => s.parentSpanId === null).length;
      // Counted, not kept: the receiver would otherwise hold every span of the run.
      receiver.spans.length = 0;
      receiver.headers.length = 0;
    },
  });
  const stack = await startStack({
    staticAssets: false,
    vars: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER_ARG: "1", SHADOW_SMALL_RATE: DEPLOYED_SHADOW_RATE },
    ...(inspectorPort ? { inspectorPort } : {}),
  });
  try {
    const pid = newPids()[0];
    const { key, tenantId } = await seedKey(stack, { name: "bench-all-stages" });
    await limitTenant(stack, tenantId);
    const target: Target = {
      name: ALL_STAGES_NAME,
      url: `${stack.url}/v1/chat/completions`,
      headers: { authorization: `Bearer ${key}`, "cache-control": "no-store" },
      pids: () => (pid ? [pid] : []),
      body: AUTO_CHAT_BODY,
    };
    const probe = await probeAllStages(target, () => traces);
    return { target, probe, traces: () => traces, stack, close: async () => { await stack.close(); await receiver.close(); } };
  } catch (err) {
    await stack.close().catch(() => undefined);
    await receiver.close();
    throw err;
  }
}

// wrangler.toml's SHADOW_SMALL_RATE (the test stack sets 0 so tests do not draw shadows at random).
const DEPLOYED_SHADOW_RATE = "0.02";

/** One request before the run: refuses to measure (h) if a stage it claims did not run. */
async function probeAllStages(t: Target, traces: () => number): Promise<Record<string, string>> {
  const res = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json", ...t.headers }, body: t.body });
  await res.arrayBuffer();
  const h = (name: string) => res.headers.get(name) ?? "";
  const probe = { status: String(res.status), "x-cache": h("x-cache"), "x-route-tier": h("x-route-tier"), "x-route-reason": h("x-route-reason"), "x-ratelimit-limit-requests": h("x-ratelimit-limit-requests") };
  const until = Date.now() + 10_000;
  while (traces() === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  const wrong = [
    res.status !== 200 && `status ${res.status}`,
    probe["x-cache"] !== "miss" && `x-cache "${probe["x-cache"]}" (want miss: the lookup ran)`,
    /^explicit_|router_/.test(probe["x-route-reason"]) && `x-route-reason "${probe["x-route-reason"]}" (want the router's decision)`,
    traces() === 0 && "no trace reached the OTLP receiver",
  ].filter(Boolean);
  if (wrong.length) throw new Error(`(h) is not running every stage: ${wrong.join("; ")}`);
  return probe;
}
