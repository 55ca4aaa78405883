/**
 * npm run bench:evaluator [-- --events 2000 --batch 100 --judged 60 --sim-config local|zero]
 *
 * Measures the evaluator Worker inside workerd (Miniflare, in-memory D1 with the real
 * migrations), fed through its queue handler exactly as Cloudflare Queues calls it:
 *   1. ledger throughput: events/s through consume -> price -> ledger + rollup + trace;
 *      lag p50/p99 from the event's completedAt to the ledger row's ingested_at;
 *   2. judge throughput with the GPU simulator as both judges (small-sim, frontier-sim):
 *      judged events/s, judge calls/s, lag p50/p99 from completedAt to the evaluation row.
 * Queue delivery delay (max_batch_timeout) is not included: batches are handed over directly.
 */
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { startSimulator } from "../gpu-backends/simulator/src/server";
import { usageEvent } from "../workers/evaluator/src/testing/events";
import { startEvaluator, type EvaluatorHarness } from "../workers/evaluator/src/testing/harness";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "2000" },
    batch: { type: "string", default: "100" },
    judged: { type: "string", default: "60" },
    "sim-config": { type: "string", default: "local" },
  },
});

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

async function feed(h: EvaluatorHarness, prefix: string, total: number, batch: number, tenantId: string): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < total; i += batch) {
    const now = Date.now();
    const msgs = Array.from({ length: Math.min(batch, total - i) }, (_, k) => ({
      id: `${prefix}-${i + k}`,
      body: usageEvent({ requestId: `${prefix}-${i + k}`, tenantId, completedAt: now, receivedAt: now - 400 }),
    }));
    const res = await h.queue(msgs);
    if (res.explicitAcks.length !== msgs.length) throw new Error(`batch ${i}: ${res.explicitAcks.length}/${msgs.length} acked`);
  }
  return (performance.now() - started) / 1000;
}

async function lags(h: EvaluatorHarness, sql: string, tenantId: string): Promise<number[]> {
  const { results } = await h.db.prepare(sql).bind(tenantId).all<{ lag: number }>();
  return results.map((r) => r.lag).sort((a, b) => a - b);
}

async function ledgerPhase(events: number, batch: number): Promise<void> {
  const h = await startEvaluator({ MAX_CONCURRENCY: "8" });
  try {
    await feed(h, "warm", 200, batch, "t-warm");
    const secs = await feed(h, "ev", events, batch, "t-bench");
    const lag = await lags(h, "SELECT ingested_at - completed_at AS lag FROM usage_ledger WHERE tenant_id = ?1", "t-bench");
    console.log(`ledger: ${events} events in ${secs.toFixed(2)} s = ${(events / secs).toFixed(0)} events/s (batch ${batch}, concurrency 8)`);
    console.log(`ledger lag completedAt -> row: p50 ${pct(lag, 0.5)} ms, p99 ${pct(lag, 0.99)} ms`);
  } finally {
    await h.dispose();
  }
}

async function judgePhase(judged: number, simConfig: string): Promise<void> {
  const sim = await startSimulator(simConfig === "zero" ? {} : { configPath: resolve(import.meta.dirname, "../gpu-backends/simulator/config.local.json") });
  const judges = [
    { name: "small", baseUrl: sim.baseUrl, model: "small-sim", version: "small-sim@1" },
    { name: "frontier", baseUrl: sim.baseUrl, model: "frontier-sim", version: "frontier-sim@1" },
  ];
  const h = await startEvaluator({ MAX_CONCURRENCY: "8", JUDGES: JSON.stringify(judges), JUDGE_SAMPLING: '{"default":1}' });
  try {
    const secs = await feed(h, "jv", judged, 20, "t-judge");
    const lag = await lags(h, "SELECT evaluated_at - completed_at AS lag FROM evaluations WHERE tenant_id = ?1 AND status = 'ok'", "t-judge");
    const calls = judged * judges.length * 3;
    console.log(`judge (${simConfig} simulator latencies): ${lag.length}/${judged} judged in ${secs.toFixed(2)} s = ${(judged / secs).toFixed(1)} events/s, ${(calls / secs).toFixed(1)} judge calls/s`);
    console.log(`judge lag completedAt -> score: p50 ${pct(lag, 0.5)} ms, p99 ${pct(lag, 0.99)} ms`);
  } finally {
    await h.dispose();
    await sim.close();
  }
}

await ledgerPhase(Number(values.events), Number(values.batch));
await judgePhase(Number(values.judged), values["sim-config"] ?? "local");
