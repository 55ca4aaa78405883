/**
 * `npm run bench:auth` — per-request overhead of auth() + authorize() + rateLimit() + budget()
 * in a warm isolate (Node's V8; workerd's clock does not advance during pure CPU work, so
 * in-Worker timing would read 0). D1 is node:sqlite in memory behind the test adapter, the
 * rate limiter is the in-process core: this measures the gateway's own work on the hot path
 * (key cache hit, SHA-256 + constant-time compare, policy lookup, body estimate, bucket math,
 * cached budgets/spend, budget reservation), not network hops. In production add one DO RPC round
 * trip (same colo, typically ~1 ms) when the tenant has limits or budgets (one for both), a
 * background settle RPC, and a D1 read every 4 s per key and 10 s per budget.
 *
 * Method: two apps on the same requests, baseline (handler only) and full stack; requests
 * interleaved; overhead = percentile(full) - percentile(baseline).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { Hono } from "hono";
import { KeyCache } from "../workers/gateway/src/auth/key-lookup";
import { seedTenant } from "../workers/gateway/src/auth/seed-tenant";
import { createTestApp, createTestEnv } from "../workers/gateway/src/auth/testing/test-app";
import { BudgetCache } from "../workers/gateway/src/limits/budget-check";
import { replaceBudgetsStmts, upsertLimitsStmt } from "../workers/gateway/src/limits/budget-repository";
import { inMemoryClient } from "../workers/gateway/src/limits/rate-limit-client";
import { auth } from "../workers/gateway/src/middleware/auth";
import { authorize } from "../workers/gateway/src/middleware/authorize";
import { budget } from "../workers/gateway/src/middleware/budget";
import { rateLimit } from "../workers/gateway/src/middleware/rate-limit";
import { settleAdmission } from "../workers/gateway/src/middleware/settle-admission";
import { parseCli } from "../scripts/lib/cli";

parseCli({ name: "npm run bench:auth", summary: "Per-request overhead of auth, policy, rate limit and budget checks in a warm isolate.", notes: ["Environment: BENCH_N (requests per round)."] });

const WARMUP = 3_000;
const N = Number(process.env.BENCH_N ?? 20_000);

function pct(sorted: number[], p: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 1000) / 1000;
}

async function main(): Promise<void> {
  const t = createTestEnv();
  const s = await seedTenant(t.db, { name: "bench", role: "service" });
  const big = 1_000_000_000;
  await upsertLimitsStmt(t.db, s.tenantId, { tenant_requests_per_minute: big, tenant_tokens_per_minute: big, key_requests_per_minute: big, key_tokens_per_minute: big }, 0).run();
  await t.db.batch(replaceBudgetsStmts(t.db, s.tenantId, [
    { scope: "tenant", scope_id: "", monthly_usd: 1e9, policy: "block", updated_at: 0 },
    { scope: "key", scope_id: s.keyId, monthly_usd: 1e9, policy: "downgrade", updated_at: 0 },
  ]));
  const limiter = inMemoryClient();
  const handler = (c: { json: (v: unknown) => Response }) => c.json({ ok: true });

  const baseline = new Hono();
  baseline.post("/v1/chat/completions", async (c) => { await c.req.text(); return handler(c); });
  const full = createTestApp();
  // As app.ts orders them: budget() admits model calls (rate limits + budget reservation in one
  // limiter call), rateLimit() then skips; the handler settles the reservation as the route does.
  full.use("*", auth({ cache: new KeyCache() }), authorize(), budget({ cache: new BudgetCache(), client: () => limiter }), rateLimit({ client: () => limiter }));
  full.post("/v1/chat/completions", async (c) => {
    await c.req.text();
    void settleAdmission(c, { tokens: 100, costUsd: 0.0001 }, () => limiter);
    return handler(c);
  });

  const body = JSON.stringify({ model: "auto", messages: [{ role: "user", content: "Summarize our refund policy in two sentences." }], max_tokens: 200 });
  const init = (): RequestInit => ({ method: "POST", headers: { authorization: `Bearer ${s.key}`, "content-type": "application/json", "x-feature": "bench" }, body });
  type Requester = { request: (path: string, init: RequestInit, env: typeof t.env, ctx: ExecutionContext) => Response | Promise<Response> };
  // As in workerd: background work (the settle RPC) goes to waitUntil, off the response path.
  const ctx = { waitUntil: () => undefined, passThroughOnException: () => undefined, props: {} } as unknown as ExecutionContext;
  const time = async (app: Requester): Promise<number> => {
    const t0 = performance.now();
    const res = await app.request("/v1/chat/completions", init(), t.env, ctx);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`unexpected ${res.status}`);
    return performance.now() - t0;
  };

  for (let i = 0; i < WARMUP; i++) { await time(baseline as unknown as Requester); await time(full as unknown as Requester); }
  const b: number[] = [];
  const f: number[] = [];
  for (let i = 0; i < N; i++) { b.push(await time(baseline as unknown as Requester)); f.push(await time(full as unknown as Requester)); }
  b.sort((x, y) => x - y);
  f.sort((x, y) => x - y);
  const result = {
    requests: N,
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    // p99 on a shared machine mostly measures the neighbours; record how busy it was.
    loadAverage1m: loadavg()[0],
    baselineMs: { p50: pct(b, 50), p99: pct(b, 99) },
    fullStackMs: { p50: pct(f, 50), p99: pct(f, 99) },
    overheadMs: { p50: Math.round((pct(f, 50) - pct(b, 50)) * 1000) / 1000, p99: Math.round((pct(f, 99) - pct(b, 99)) * 1000) / 1000 },
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/auth.json", JSON.stringify(result, null, 2));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
