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
import { parseCli } from "../scripts/lib/cli";

parseCli({ name: "npm run bench:reference", summary: "The reference case: the same traffic all-frontier vs the gateway (router + cache), cost and latency; writes docs/benchmarks/reference-case.md. Runs for minutes.", notes: ["Environment: BENCH_REQUESTS (default 300), BENCH_CONCURRENCY (default 16), BENCH_DEBUG=1."] });

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

type Mode = "baseline" | "gateway";

async function runTraffic(stack: Stack, key: string, traffic: LabelledPrompt[], mode: Mode): Promise<Served[]> {
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
      if (process.env.BENCH_DEBUG && res.headers.get("x-cache") === "hit-semantic") console.log("HIT", res.headers.get("x-cache-similarity"), prompt.prompt.slice(0, 110));
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

interface Run {
  label: string;
  summary: Summary;
}

function report(runs: Run[], n: number): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const base = (runs[0] as Run).summary;
  const change = (a: number, b: number) => (a === 0 ? "n/a" : `${b <= a ? "−" : "+"}${((100 * Math.abs(b - a)) / a).toFixed(0)}%`);
  const metric = (name: string, f: (s: Summary) => string, delta?: (s: Summary) => number) =>
    `| ${name} | ${runs.map((r) => f(r.summary) + (delta && r.summary !== base ? ` (${change(delta(base), delta(r.summary))})` : "")).join(" | ")} |`;
  const rows = [
    metric("inference cost (ledger, USD)", (s) => s.costUsd.toFixed(4), (s) => s.costUsd),
    metric("latency p50 (ms, client side)", (s) => s.p50.toFixed(0), (s) => s.p50),
    metric("latency p99 (ms, client side)", (s) => s.p99.toFixed(0), (s) => s.p99),
    metric("served on the small tier", (s) => pct(s.smallShare)),
    metric("served from cache", (s) => pct(s.cacheHitShare)),
    metric("quality escapes (served answer wrong by the labels)", (s) => `${s.escapes} (${pct(s.escapes / n)})`, (s) => s.escapes),
    metric("answers scored by the judge panel (of 200s; cache hits count as their original's score)", (s) => pct(s.scoredShare)),
    metric("judge panel cost (USD, attributed to the tenant)", (s) => s.judgeCostUsd.toFixed(4)),
    metric("non-200 responses", (s) => String(s.errors)),
  ];
  return `# Reference case, measured

Command: \`npm run bench:reference\` (BENCH_REQUESTS=${n}, BENCH_CONCURRENCY=${CONCURRENCY}).
Machine: ${machineDescription()}.
Traffic: ${n} chat requests, 70% simple / 30% hard prompts drawn (seeded, without replacement) from \`data/router/heldout-eval.csv\` (held out from router training; per-tier correctness labels), 10% repeats; ${CONCURRENCY} concurrent clients; the same traffic for every configuration.
Tiers: GPU simulator — small-sim (self-hosted, TTFT 60 ms, 10 ms/token, 64 concurrent; priced from $/GPU-hour) and frontier-sim (API, TTFT 450 ms, 22 ms/token, 6 concurrent, ±50% jitter; priced per token), 64-token answers. Judges: a second, zero-latency simulator (the panel's *scores* are synthetic; coverage and cost are real).
Every configuration goes through the same gateway and evaluator in workerd, each as its own tenant. Baseline sends \`"model": "frontier-sim"\` with \`Cache-Control: no-cache, no-store\` (one frontier model, as the platform did before); the others send \`"model": "auto"\`. "Quality-first" is the same gateway with the tenant's router band moved from complexity < 0.5 to < 0.3 for the small tier (\`PUT /admin/v1/tenants/{id}/settings\`).

| measure | ${runs.map((r) => r.label).join(" | ")} |
| --- | ${runs.map(() => "---").join(" | ")} |
${rows.join("\n")}

Quality escapes are counted from the labels of the tier that served each answer (for a cache hit, the tier that produced the cached answer). The held-out labels are simulated from authored complexity (docs/router.md), so some small-tier failures are not predictable from the prompt by any router; they measure routing mistakes, not the judge panel, whose detection of bad answers needs real judge models (calibrate with \`npm run judge:calibrate\`).
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
    const runs: Run[] = [];
    const configs: Array<[string, Mode, Record<string, unknown> | null]> = [
      ["baseline (all frontier)", "baseline", null],
      ["gateway (router + cache)", "gateway", null],
      ["gateway, quality-first", "gateway", { router: { bands: [{ below: 0.3, tier: "small" }] } }],
    ];
    for (const [label, mode, settings] of configs) {
      const tenant = await seedKey(stack, { name: label });
      if (settings) {
        const admin = await seedKey(stack, { role: "admin", tenantId: tenant.tenantId });
        await stack.fetch(`/admin/v1/tenants/${tenant.tenantId}/settings`, { method: "PUT", headers: { authorization: `Bearer ${admin.key}`, "content-type": "application/json" }, body: JSON.stringify(settings) });
      }
      const served = await runTraffic(stack, tenant.key, traffic, mode);
      runs.push({ label, summary: await summarize(stack, tenant.tenantId, served) });
    }
    const md = report(runs, REQUESTS);
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
