/**
 * Drives the evaluator harness for bench:evaluator: closed loop (next batch when the last is
 * acked: throughput), open loop (events arrive at a fixed rate and wait for the consumer as on
 * a queue: lag), the drain of the strong-judge queue, and the books: nothing lost, nothing
 * counted twice.
 */
import { join } from "node:path";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import type { UsageEvent } from "../../shared/schemas/usage-event";
import type { EvaluatorHarness } from "../../workers/evaluator/src/testing/harness";
import { percentile } from "../lib/machine";
import { benchEvent, judgeable, packs, type TrafficOptions } from "./traffic";

const ROOT = join(import.meta.dirname, "../..");

/** The evaluator's local [vars] from workers/evaluator/wrangler.toml: the bench runs the shipped defaults. */
export function localEvaluatorVars(): Record<string, string> {
  const opts = { envFiles: ["/dev/null"] } as Parameters<typeof unstable_getMiniflareWorkerOptions>[2];
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, "workers/evaluator/wrangler.toml"), undefined, opts);
  const vars = (workerOptions.bindings ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => typeof e[1] === "string"));
}

export interface Fed {
  events: UsageEvent[];
  seconds: number;
  batches: { id: string; body: unknown }[][];
}

async function deliver(h: EvaluatorHarness, msgs: { id: string; body: unknown }[], attempts = 1): Promise<void> {
  const res = await h.queue(msgs.map((m) => ({ ...m, attempts })));
  if (res.explicitAcks.length !== msgs.length) throw new Error(`batch: ${res.explicitAcks.length}/${msgs.length} acked, retried ${JSON.stringify(res.retryMessages)}`);
}

/** Closed loop: `total` events in batches of `batch` events (packs of `perPack`), each sent when the previous is acked. */
export async function closedLoop(h: EvaluatorHarness, total: number, batch: number, perPack: number, traffic: TrafficOptions): Promise<Fed> {
  const events: UsageEvent[] = [];
  const batches: Fed["batches"] = [];
  const started = performance.now();
  for (let i = 0; i < total; i += batch) {
    const now = Date.now();
    const chunk = Array.from({ length: Math.min(batch, total - i) }, (_, k) => benchEvent(i + k, now, traffic));
    events.push(...chunk);
    const msgs = packs(chunk, perPack, `${traffic.prefix}-m${i}`);
    batches.push(msgs);
    await deliver(h, msgs);
  }
  return { events, seconds: (performance.now() - started) / 1000, batches };
}

/**
 * Open loop: events are created at `rate` per second (completedAt = creation) and wait in a
 * buffer; the consumer takes up to `batch` of them at once, or fewer after `timeoutMs`, like
 * Queues with max_batch_size / max_batch_timeout. Lag then includes the wait.
 */
/**
 * `concurrency`: batches handed to the consumer before the oldest has finished, as Cloudflare
 * Queues runs several consumer invocations at once when a backlog builds (max_concurrency; the
 * production config sets 100). 1 = each batch waits for the one before.
 */
export async function openLoop(h: EvaluatorHarness, total: number, rate: number, batch: number, perPack: number, timeoutMs: number, traffic: TrafficOptions, concurrency = 1): Promise<Fed> {
  const t0 = Date.now();
  const inFlight = new Set<Promise<void>>();
  const due = (i: number): number => t0 + (i * 1000) / rate;
  const events: UsageEvent[] = [];
  const batches: Fed["batches"] = [];
  let next = 0;
  while (next < total) {
    const now = Date.now();
    let ready = 0;
    while (next + ready < total && due(next + ready) <= now) ready++;
    const oldestWaited = ready > 0 ? now - due(next) : 0;
    if (ready < batch && oldestWaited < timeoutMs && next + ready < total) {
      await new Promise((r) => setTimeout(r, Math.min(timeoutMs - oldestWaited, Math.max(1, due(next + ready) - now))));
      continue;
    }
    const n = Math.max(1, Math.min(batch, ready));
    const chunk = Array.from({ length: n }, (_, k) => benchEvent(next + k, Math.round(due(next + k)), traffic));
    events.push(...chunk);
    const msgs = packs(chunk, perPack, `${traffic.prefix}-m${next}`);
    batches.push(msgs);
    next += n;
    const delivered: Promise<void> = deliver(h, msgs).finally(() => inFlight.delete(delivered));
    inFlight.add(delivered);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return { events, seconds: (Date.now() - t0) / 1000, batches };
}

/** Replays batches as redeliveries (attempt 2): the books must not move. */
export async function replay(h: EvaluatorHarness, batches: Fed["batches"]): Promise<void> {
  for (const msgs of batches) await deliver(h, msgs, 2);
}

const one = async (h: EvaluatorHarness, sql: string, ...args: unknown[]): Promise<number> => (await h.db.prepare(sql).bind(...args).first<{ n: number | null }>())?.n ?? 0;

/** Waits until no evaluation of the run is 'pending' (the strong-judge queue drained); returns the seconds waited. */
export async function drainEscalations(h: EvaluatorHarness, prefix: string, timeoutMs: number): Promise<{ seconds: number; pending: number }> {
  const started = Date.now();
  for (;;) {
    const pending = await one(h, "SELECT COUNT(*) AS n FROM evaluations WHERE request_id LIKE ?1 AND escalation_state = 'pending'", `${prefix}-%`);
    if (pending === 0 || Date.now() - started > timeoutMs) return { seconds: (Date.now() - started) / 1000, pending };
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function lags(h: EvaluatorHarness, sql: string, prefix: string): Promise<number[]> {
  const { results } = await h.db.prepare(sql).bind(`${prefix}-%`).all<{ lag: number }>();
  return results.map((r) => r.lag).sort((a, b) => a - b);
}

/**
 * Whether an open loop kept up, from the ledger: the slope of each event's lag (booked − arrived)
 * over its arrival time. A consumer serving a fraction c of the offered rate lets its backlog, and
 * so the lag, grow by (1/c − 1) seconds per second; one that keeps up holds it level (batching adds
 * a bounded saw-tooth, not a trend). Also the span from the first arrival to the last booking.
 */
export async function lagTrend(h: EvaluatorHarness, prefix: string): Promise<{ slope: number; spanSeconds: number }> {
  const { results } = await h.db
    .prepare("SELECT completed_at AS t, ingested_at - completed_at AS lag, ingested_at AS booked FROM usage_ledger WHERE kind = 'request' AND request_id LIKE ?1")
    .bind(`${prefix}-%`)
    .all<{ t: number; lag: number; booked: number }>();
  const n = results.length;
  if (n < 2) return { slope: 0, spanSeconds: 0 };
  const mt = results.reduce((a, r) => a + r.t, 0) / n;
  const ml = results.reduce((a, r) => a + r.lag, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const r of results) {
    sxy += (r.t - mt) * (r.lag - ml);
    sxx += (r.t - mt) ** 2;
  }
  const first = Math.min(...results.map((r) => r.t));
  const last = Math.max(...results.map((r) => r.booked));
  return { slope: sxx > 0 ? sxy / sxx : 0, spanSeconds: (last - first) / 1000 };
}

export interface Books {
  events: number;
  ledgerRows: number;
  rollupRequests: number;
  eligible: number;
  evaluations: number;
  fallbacks: number;
  coverageEligible: number;
  judged: number;
  escalated: number;
  skipped: number;
  judgeRows: number;
  expectedJudgeRows: number;
  pending: number;
  lag: { ledger: number[]; cheap: number[]; strong: number[] };
}

/** Counts everything the run wrote; `cheapJudges` / `strongJudges` = judges per tier in JUDGES. */
export async function books(h: EvaluatorHarness, fed: Fed, prefix: string, cheapJudges: number, strongJudges: number): Promise<Books> {
  const like = `${prefix}-%`;
  const tenants = [...new Set(fed.events.map((e) => e.tenantId))];
  const inTenants = `tenant_id IN (${tenants.map((t) => `'${t}'`).join(", ")})`;
  const judged = await one(h, "SELECT COUNT(*) AS n FROM evaluations WHERE request_id LIKE ?1 AND status = 'ok' AND judges_json != '[]'", like);
  const escalated = await one(h, "SELECT COUNT(*) AS n FROM evaluations WHERE request_id LIKE ?1 AND escalation_state = 'done'", like);
  // An escalation that ended in 'error' billed its strong judge's calls too.
  const escalationErrors = await one(h, "SELECT COUNT(*) AS n FROM evaluations WHERE request_id LIKE ?1 AND escalation_state = 'error'", like);
  return {
    events: fed.events.length,
    ledgerRows: await one(h, "SELECT COUNT(*) AS n FROM usage_ledger WHERE kind = 'request' AND request_id LIKE ?1", like),
    rollupRequests: await one(h, `SELECT SUM(requests) AS n FROM usage_rollups_hourly WHERE kind = 'request' AND ${inTenants}`),
    eligible: fed.events.filter(judgeable).length,
    evaluations: await one(h, "SELECT COUNT(*) AS n FROM evaluations WHERE request_id LIKE ?1", like),
    fallbacks: await one(h, "SELECT COUNT(*) AS n FROM judge_fallbacks WHERE request_id LIKE ?1", like),
    coverageEligible: await one(h, `SELECT SUM(eligible) AS n FROM judge_coverage_hourly WHERE ${inTenants}`),
    judged,
    escalated,
    skipped: await one(h, "SELECT COUNT(*) AS n FROM evaluations WHERE request_id LIKE ?1 AND escalation_state = 'skipped'", like),
    judgeRows: await one(h, "SELECT COUNT(*) AS n FROM usage_ledger WHERE kind = 'judge' AND parent_request_id LIKE ?1", like),
    expectedJudgeRows: judged * cheapJudges + (escalated + escalationErrors) * strongJudges,
    pending: await one(h, "SELECT COUNT(*) AS n FROM evaluations WHERE request_id LIKE ?1 AND escalation_state = 'pending'", like),
    lag: {
      ledger: await lags(h, "SELECT ingested_at - completed_at AS lag FROM usage_ledger WHERE kind = 'request' AND request_id LIKE ?1", prefix),
      // Cheap verdicts are written once; the strong verdict moves evaluated_at, so the cheap lag is read from the first judge row.
      cheap: await lags(h, "SELECT MIN(l.ingested_at) - e.completed_at AS lag FROM evaluations e JOIN usage_ledger l ON l.parent_request_id = e.request_id WHERE e.request_id LIKE ?1 AND e.status = 'ok' GROUP BY e.request_id", prefix),
      strong: await lags(h, "SELECT evaluated_at - completed_at AS lag FROM evaluations WHERE request_id LIKE ?1 AND escalation_state = 'done'", prefix),
    },
  };
}

/** The books balance: every event once in the ledger and rollups, every eligible answer decided once, every judge call billed once. */
export function balanced(b: Books, judging = true): string[] {
  const problems: string[] = [];
  if (b.ledgerRows !== b.events) problems.push(`ledger rows ${b.ledgerRows} != events ${b.events}`);
  if (b.rollupRequests !== b.events) problems.push(`rollup requests ${b.rollupRequests} != events ${b.events}`);
  if (!judging) return problems;
  if (b.evaluations + b.fallbacks !== b.eligible) problems.push(`evaluations ${b.evaluations} + fallbacks ${b.fallbacks} != eligible ${b.eligible}`);
  if (b.coverageEligible !== b.eligible) problems.push(`coverage eligible ${b.coverageEligible} != eligible ${b.eligible}`);
  if (b.judgeRows !== b.expectedJudgeRows) problems.push(`judge ledger rows ${b.judgeRows} != expected ${b.expectedJudgeRows}`);
  return problems;
}

export const fmtLag = (xs: number[]): string => (xs.length ? `p50 ${percentile(xs, 50)} ms, p99 ${percentile(xs, 99)} ms (n=${xs.length})` : "n=0");
