/**
 * One configuration's numbers: what the clients saw (latency, tier, cache, correctness by the
 * row's labels) and what the evaluator wrote (ledger cost, judge cost, judged answers).
 */
import type { Stack } from "../../test/harness/stack";
import { percentile } from "../lib/machine";
import type { Served } from "./client";
import { countEscapes, type Verdict } from "./escapes";

export interface Summary {
  requests: number;
  costUsd: number;
  judgeCostUsd: number;
  p50: number;
  p99: number;
  smallShare: number;
  cacheHitShare: number;
  semanticHits: number;
  escapes: number;
  foreign: number;
  /** 200s whose answer the judge panel scored (a cache hit counts as its original's score). */
  scoredShare: number;
  errors: number;
}

export interface LedgerFacts {
  /** Request rows billed (cascade drafts aside). */
  rows: number;
  costUsd: number;
  judgeCostUsd: number;
  /** Request ids the judge panel scored (status ok). */
  scored: ReadonlySet<string>;
}

export function summarize(served: readonly Served[], verdicts: readonly Verdict[], ledger: LedgerFacts): Summary {
  const n = served.length;
  const ok = served.filter((s) => s.status === 200);
  const hit = (s: Served) => s.cache?.startsWith("hit") === true;
  const latencies = served.map((s) => s.latencyMs).sort((a, b) => a - b);
  const { escapes, foreign, errors } = countEscapes(verdicts);
  return {
    requests: n,
    costUsd: ledger.costUsd,
    judgeCostUsd: ledger.judgeCostUsd,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    smallShare: served.filter((s) => s.status === 200 && s.tier === "small").length / Math.max(1, n),
    cacheHitShare: served.filter(hit).length / Math.max(1, n),
    semanticHits: served.filter((s) => s.cache === "hit-semantic").length,
    escapes,
    foreign,
    scoredShare: ok.filter((s) => hit(s) || ledger.scored.has(s.requestId)).length / Math.max(1, ok.length),
    errors,
  };
}

/** Polls until `count` reaches `atLeast` and then holds still for `quietMs` (judging lags billing; the judge budget leaves answers unjudged). */
async function settled(label: string, count: () => Promise<number>, atLeast: number, quietMs: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = -1;
  let since = Date.now();
  for (;;) {
    const n = await count();
    if (n !== last) [last, since] = [n, Date.now()];
    if (n >= atLeast && Date.now() - since >= quietMs) return;
    if (Date.now() > end) {
      process.stdout.write(`\n${label}: ${n} after ${timeoutMs / 1000} s (expected ${atLeast})\n`);
      return;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/**
 * Waits for the evaluator to bill every request (an escalated cascade draft is billed apart, as `<id>:draft`) and for its
 * judging to stop. `before`: the tenant's facts before these requests (a warm-up), taken out of the costs.
 */
export async function ledgerFacts(stack: Stack, tenantId: string, served: readonly Served[], before?: LedgerFacts): Promise<LedgerFacts> {
  const count = async (sql: string) => (await stack.db.prepare(sql).bind(tenantId).first<{ n: number }>())?.n ?? 0;
  const billed = () => count("SELECT COUNT(*) AS n FROM usage_ledger WHERE tenant_id = ?1 AND kind = 'request' AND request_id NOT LIKE '%:draft'");
  await settled("ledger rows", billed, served.length + (before?.rows ?? 0), 2_000, 240_000);
  await settled("evaluations", () => count("SELECT COUNT(*) AS n FROM evaluations WHERE tenant_id = ?1"), 0, 8_000, 90_000);
  const cost = await stack.db
    .prepare("SELECT SUM(CASE WHEN kind = 'request' THEN cost_usd ELSE 0 END) AS req, SUM(CASE WHEN kind = 'judge' THEN cost_usd ELSE 0 END) AS judge FROM usage_ledger WHERE tenant_id = ?1")
    .bind(tenantId)
    .first<{ req: number | null; judge: number | null }>();
  const scored = await stack.db.prepare("SELECT request_id FROM evaluations WHERE tenant_id = ?1 AND status = 'ok'").bind(tenantId).all<{ request_id: string }>();
  const rows = await billed();
  return { rows: rows - (before?.rows ?? 0), costUsd: (cost?.req ?? 0) - (before?.costUsd ?? 0), judgeCostUsd: (cost?.judge ?? 0) - (before?.judgeCostUsd ?? 0), scored: new Set(scored.results.map((r) => r.request_id)) };
}

export interface SourceLine {
  source: string;
  requests: number;
  smallShare: number;
  escapes: number;
}

/** Per source: how much went to the small tier and how many served answers were wrong. */
export function bySource(sources: readonly string[], served: readonly Served[], verdicts: readonly Verdict[]): SourceLine[] {
  const names = [...new Set(sources)].sort();
  return names.map((source) => {
    const idx = sources.map((s, i) => (s === source ? i : -1)).filter((i) => i >= 0);
    return {
      source,
      requests: idx.length,
      smallShare: idx.filter((i) => served[i]!.status === 200 && served[i]!.tier === "small").length / Math.max(1, idx.length),
      escapes: idx.filter((i) => !verdicts[i]!.correct).length,
    };
  });
}

export interface RoutingDetail {
  /** Router complexity at the 10th, 50th and 90th percentile of the routed requests (null: none routed). */
  complexity: [number, number, number] | null;
  /** Share of routed requests below the band in force for each (the small tier's side of it). */
  belowBand: number;
  /** The bands decisions were made against (x-route-reason), most used first. */
  bands: BandUse[];
  lowConfidence: number;
  /** x-cascade outcomes: accepted drafts, escalated drafts, requests not drafted (cache hits included). */
  cascade: { accepted: number; escalated: number; notDrafted: number };
}

export interface BandUse {
  below: number;
  source: string;
  requests: number;
}

/** How many routed requests were decided against each band the headers name. */
export function bandsUsed(served: readonly Served[]): BandUse[] {
  const uses = new Map<string, BandUse>();
  for (const s of served) {
    if (!s.band) continue;
    const key = `${s.band.below} ${s.band.source}`;
    const u = uses.get(key) ?? { ...s.band, requests: 0 };
    uses.set(key, { ...u, requests: u.requests + 1 });
  }
  return [...uses.values()].sort((a, b) => b.requests - a.requests || a.below - b.below);
}

/** `staticBand`: what a request is compared with when its headers name no band. */
export function routingDetail(served: readonly Served[], staticBand: number): RoutingDetail {
  const routed = served.filter((s) => s.complexity !== null);
  const c = routed.map((s) => s.complexity!).sort((a, b) => a - b);
  return {
    complexity: c.length ? [percentile(c, 10), percentile(c, 50), percentile(c, 90)] : null,
    belowBand: routed.filter((s) => s.complexity! < (s.band?.below ?? staticBand)).length / Math.max(1, routed.length),
    bands: bandsUsed(routed),
    lowConfidence: served.filter((s) => s.reason === "low_confidence").length,
    cascade: {
      accepted: served.filter((s) => s.cascade?.startsWith("accepted")).length,
      escalated: served.filter((s) => s.cascade?.startsWith("escalated")).length,
      notDrafted: served.filter((s) => s.cascade === null).length,
    },
  };
}
