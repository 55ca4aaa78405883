/**
 * `npm run bench:reference`: the reference case, measured on our own stack. The same traffic
 * (70% simple, 30% hard, 10% repeats; labelled prompts from data/router/heldout-eval.csv) is
 * sent twice through the gateway in workerd, with the evaluator consuming the queue:
 *   baseline: every request to the frontier model, no cache (what the platform did before);
 *   gateway:  "model": "auto" (learned router + semantic cache), default settings.
 * Model tiers are the GPU simulator with latency and concurrency caps shaped like the real
 * ones (frontier API: slow first token, limited concurrency; self-hosted small: fast).
 * Reports cost (from the evaluator's ledger), latency p50/p99 (client side), the share served
 * on the small tier, served answers that are wrong by the labels (quality escapes), and the
 * share of answers the judge panel scored. Writes docs/benchmarks/reference-case.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSimulator } from "../gpu-backends/simulator/src/server";
import { ROOT } from "../test/harness/build-workers";
import { seedKey } from "../test/harness/seed";
import { startStack, type Stack } from "../test/harness/stack";
import { buildTraffic, loadLabelled, type LabelledPrompt } from "./lib/traffic";
import { machineDescription, percentile } from "./lib/machine";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SIMULATOR = {
  models: [
    { id: "small-sim", latency: { ttftMs: 60, tpotMs: 10, jitter: 0.3 }, maxConcurrency: 64, defaultOutputTokens: 64 },
    { id: "frontier-sim", latency: { ttftMs: 450, tpotMs: 22, jitter: 0.5 }, maxConcurrency: 6, defaultOutputTokens: 64 },
  ],
  requestLogSize: 10,
};

interface Served {
  prompt: LabelledPrompt;
  status: number;
  latencyMs: number;
  tier: string | null;
  cache: string | null;
  requestId: string;
}

async function runTraffic(stack: Stack, key: string, traffic: LabelledPrompt[], mode: "baseline" | "gateway"): Promise<Served[]> {
  const out: Served[] = [];
  let next = 0;
  const worker = async () => {
    while (next < traffic.length) {
      const prompt = traffic[next++] as LabelledPrompt;
      const headers: Record<string, string> = { authorization: `Bearer ${key}`, "content-type": "application/json", "x-feature": "support-assistant" };
      if (mode === "baseline") headers["cache-control"] = "no-cache, no-store";
      const body = JSON.stringify({ model: mode === "baseline" ? "frontier-sim" : "auto", messages: [{ role: "user", content: prompt.prompt }] });
      const started = performance.now();
      const res = await stack.fetch("/v1/chat/completions", { method: "POST", headers, body });
      const json = (await res.json()) as { model?: string; error?: { code?: string } };
      if (res.status !== 200 && process.env.BENCH_DEBUG) console.log(mode, res.status, json.error?.code, prompt.prompt.slice(0, 80));
      const servedModel = json.model ?? null;
      out.push({
        prompt,
        status: res.status,
        latencyMs: performance.now() - started,
        tier: servedModel === "small-sim" ? "small" : servedModel === "frontier-sim" ? "frontier" : null,
        cache: res.headers.get("x-cache"),
        requestId: res.headers.get("x-request-id") ?? "",
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return out;
}

async function waitFor(label: string, fn: () => Promise<boolean>, timeoutMs = 240_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

interface Summary {
  costUsd: number;
  judgeCostUsd: number;
  p50: number;
  p99: number;
  smallShare: number;
  cacheHitShare: number;
  escapes: number;
  scoredShare: number;
  errors: number;
}

async function summarize(stack: Stack, tenantId: string, served: Served[]): Promise<Summary> {
  const n = served.length;
  await waitFor("ledger rows", async () => ((await stack.db.prepare("SELECT COUNT(*) AS n FROM usage_ledger WHERE tenant_id = ?1 AND kind = 'request'").bind(tenantId).first<{ n: number }>())?.n ?? 0) >= n);
  await waitFor("judge scores", async () => {
    const got = (await stack.db.prepare("SELECT COUNT(*) AS n FROM evaluations WHERE tenant_id = ?1").bind(tenantId).first<{ n: number }>())?.n ?? 0;
    if (process.env.BENCH_DEBUG) console.log("evaluations", got, "of", n);
    return got >= n;
  }, 90_000).catch(() => undefined);
  const cost = await stack.db
    .prepare("SELECT SUM(CASE WHEN kind = 'request' THEN cost_usd ELSE 0 END) AS req, SUM(CASE WHEN kind = 'judge' THEN cost_usd ELSE 0 END) AS judge FROM usage_ledger WHERE tenant_id = ?1")
    .bind(tenantId)
    .first<{ req: number; judge: number }>();
  const scored = await stack.db.prepare("SELECT COUNT(*) AS n FROM evaluations WHERE tenant_id = ?1 AND status = 'ok'").bind(tenantId).first<{ n: number }>();
  const latencies = served.map((s) => s.latencyMs).sort((a, b) => a - b);
  const wrong = (s: Served) => (s.tier === "small" ? !s.prompt.smallOk : s.tier === "frontier" ? !s.prompt.frontierOk : true);
  return {
    costUsd: cost?.req ?? 0,
    judgeCostUsd: cost?.judge ?? 0,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    smallShare: served.filter((s) => s.tier === "small").length / n,
    cacheHitShare: served.filter((s) => s.cache?.startsWith("hit")).length / n,
    escapes: served.filter(wrong).length,
    // Fresh answers are judged; a cache hit replays an answer that was judged when it was made.
    scoredShare: ((scored?.n ?? 0) + served.filter((s) => s.status === 200 && s.cache?.startsWith("hit")).length) / Math.max(1, served.filter((s) => s.status === 200).length),
    errors: served.filter((s) => s.status !== 200).length,
  };
}

function report(base: Summary, gw: Summary, n: number): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const change = (a: number, b: number) => (a === 0 ? "n/a" : `${b <= a ? "−" : "+"}${(100 * Math.abs(b - a) / a).toFixed(0)}%`);
  const rows = [
    ["inference cost (ledger, USD)", base.costUsd.toFixed(4), gw.costUsd.toFixed(4), change(base.costUsd, gw.costUsd)],
    ["latency p50 (ms, client side)", base.p50.toFixed(0), gw.p50.toFixed(0), change(base.p50, gw.p50)],
    ["latency p99 (ms, client side)", base.p99.toFixed(0), gw.p99.toFixed(0), change(base.p99, gw.p99)],
    ["served on the small tier", pct(base.smallShare), pct(gw.smallShare), ""],
    ["served from cache", pct(base.cacheHitShare), pct(gw.cacheHitShare), ""],
    ["quality escapes (served answer wrong by the labels)", `${base.escapes} (${pct(base.escapes / n)})`, `${gw.escapes} (${pct(gw.escapes / n)})`, change(base.escapes, gw.escapes)],
    ["answers scored by the judge panel (of 200s; cache hits count as their original's score)", pct(base.scoredShare), pct(gw.scoredShare), ""],
    ["judge panel cost (USD, attributed to the tenant)", base.judgeCostUsd.toFixed(4), gw.judgeCostUsd.toFixed(4), ""],
    ["non-200 responses", String(base.errors), String(gw.errors), ""],
  ];
  return `# Reference case, measured

Command: \`npm run bench:reference\` (BENCH_REQUESTS=${n}, BENCH_CONCURRENCY=${CONCURRENCY}).
Machine: ${machineDescription()}.
Traffic: ${n} chat requests, 70% simple / 30% hard prompts drawn (seeded) from \`data/router/heldout-eval.csv\` (held out from router training; per-tier correctness labels), 10% repeats; ${CONCURRENCY} concurrent clients.
Tiers: GPU simulator — small-sim (self-hosted, TTFT 60 ms, 10 ms/token, 64 concurrent; priced from $/GPU-hour) and frontier-sim (API, TTFT 450 ms, 22 ms/token, 6 concurrent, ±50% jitter; priced per token), 64-token answers. Judges: a second, zero-latency simulator (the panel's *scores* are synthetic; coverage and cost are real).
Both runs go through the same gateway and evaluator in workerd; baseline sends \`"model": "frontier-sim"\` with \`Cache-Control: no-cache, no-store\`, gateway sends \`"model": "auto"\`.

| measure | baseline (all frontier) | gateway (router + cache) | change |
| --- | --- | --- | --- |
${rows.map((r) => `| ${r.join(" | ")} |`).join("\n")}

Quality escapes are counted from the labels of the tier that served each answer (a cache hit inherits the label of the tier that produced the cached answer's prompt). They measure routing mistakes; the judge panel's detection of bad answers needs real judge models (calibrate with \`npm run judge:calibrate\`).
`;
}

async function main(): Promise<void> {
  const pool = loadLabelled(join(ROOT, "data/router/heldout-eval.csv"));
  const traffic = buildTraffic(pool, { requests: REQUESTS, simpleShare: 0.7, repeatShare: 0.1, seed: 42 });
  const judgeSim = await startSimulator({});
  const judges = JSON.stringify([
    { name: "judge-a", baseUrl: judgeSim.baseUrl, model: "small-sim", weight: 1, version: "small-sim@1" },
    { name: "judge-b", baseUrl: judgeSim.baseUrl, model: "frontier-sim", weight: 1, version: "frontier-sim@1" },
  ]);
  const stack = await startStack({ evaluator: true, simulator: { config: SIMULATOR }, evaluatorVars: { JUDGES: judges } });
  try {
    const base = await seedKey(stack, { name: "baseline" });
    const gw = await seedKey(stack, { name: "gateway" });
    const baseServed = await runTraffic(stack, base.key, traffic, "baseline");
    const gwServed = await runTraffic(stack, gw.key, traffic, "gateway");
    const md = report(await summarize(stack, base.tenantId, baseServed), await summarize(stack, gw.tenantId, gwServed), REQUESTS);
    mkdirSync(join(ROOT, "docs/benchmarks"), { recursive: true });
    writeFileSync(join(ROOT, "docs/benchmarks/reference-case.md"), md);
    console.log(md);
  } finally {
    await stack.close();
    await judgeSim.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
