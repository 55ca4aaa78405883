/**
 * The quality-target band's inputs (docs/router.md, "Quality target"), hourly:
 *  1. for every tenant with traffic, the histogram of the router's complexity per feature for
 *     the two hours just closed and the current hour so far (events of a closed hour still arrive for
 *     a few minutes, and the current hour lets a new tenant's traffic count the same hour), from
 *     the ledger, with the judged pass counts per tier, into router_complexity_hourly (labels
 *     for the closed hours only: see hourStatements);
 *  2. for tenants whose settings name a qualityTarget, the window's sum per feature and for the
 *     whole tenant, published to KV, where the gateway reads it (router/quality-target/).
 * Only requests the router decided count: model "auto", not cache hits, not cascade drafts.
 * With them, the hour's judged small-tier outcomes by complexity bin (hour-labels.ts): the
 * gateway sets the band from them once a window has enough (labelled-band.ts).
 */
import { z } from "zod";
import { ALL_SCOPE, featureScope, trafficKey } from "../../../../shared/router-traffic/traffic-key";
import { BIN_COUNT, BIN_WIDTH, mergeBins, mergeJudged, mergeLabels, type Bin, type LabelBin, type TrafficSummary } from "../../../../shared/router-traffic/traffic-summary";
import { hourLabels, JUDGING_HORIZON_MS } from "./hour-labels";

const HOUR = 3_600_000;
/**
 * Closed hours recomputed on every run: enough that the last run over an hour comes after all of
 * its small shadows are past the judging horizon (a shadow of the hour's last second is HOUR +
 * JUDGING_HORIZON_MS old by then). Before that run a shadow still waiting for its verdict gives no
 * label; at it, one still without a verdict is final (hour-labels.ts).
 */
export const RECOMPUTED_HOURS = 1 + Math.ceil(JUDGING_HORIZON_MS / HOUR);
/** A judged answer at or above this panel mean counts as a good one (the cache audit's pass mark). */
export const PASS_SCORE = 4;
/** Features with fewer requests in the window are not published on their own (the tenant-wide value covers them). */
export const MIN_PUBLISHED_REQUESTS = 20;
/** At most this many features per tenant are published (the busiest). */
export const MAX_PUBLISHED_FEATURES = 100;

export interface TrafficJobOptions {
  windowHours: number;
  passScore?: number;
  /** Tiers whose judged answers are small-tier labels (default ["small"], as the retraining export). */
  smallTiers?: readonly string[];
  /**
   * The share of client ledger rows kept in D1 (LEDGER_SAMPLING; default: all). The histograms are
   * read from those rows, a uniform draw by request id, so their shape holds; their counts are
   * scaled by 1/rate, or a sampled tenant would need 1/rate times the traffic to reach
   * MIN_PUBLISHED_REQUESTS and the gateway's qualityMinRequests.
   */
  ledgerRate?: (tenantId: string, feature: string | null) => number;
}

export interface TrafficJobResult {
  tenants: number;
  hourRows: number;
  published: number;
}

const HistRow = z.object({ feature: z.string(), bin: z.number().int(), n: z.number().int(), s: z.number() });
const JudgedRow = z.object({ feature: z.string(), tier: z.string(), judged: z.number().int(), passed: z.number().int() });

const HIST = `SELECT feature, MIN(CAST(route_complexity / ${BIN_WIDTH} AS INTEGER), ${BIN_COUNT - 1}) AS bin, COUNT(*) AS n, SUM(route_complexity) AS s
FROM usage_ledger WHERE tenant_id = ?1 AND completed_at >= ?2 AND completed_at < ?3 AND kind = 'request' AND parent_request_id IS NULL
  AND requested_model = 'auto' AND route_complexity IS NOT NULL AND cache_status NOT IN ('hit-exact', 'hit-semantic')
GROUP BY feature, bin`;

const JUDGED = `SELECT feature, tier, COUNT(*) AS judged, SUM(score_mean >= ?4) AS passed
FROM evaluations WHERE tenant_id = ?1 AND completed_at >= ?2 AND completed_at < ?3 AND status = 'ok' AND score_mean IS NOT NULL
  AND substr(request_id, -6) != ':draft' AND substr(request_id, -7) != ':shadow' AND sampled = 1
GROUP BY feature, tier`;

const UPSERT = `INSERT INTO router_complexity_hourly (tenant_id, feature, hour, requests, bins_json, judged_json, computed_at, labels_json)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
ON CONFLICT (tenant_id, feature, hour) DO UPDATE SET requests = excluded.requests, bins_json = excluded.bins_json,
  judged_json = excluded.judged_json, computed_at = excluded.computed_at, labels_json = excluded.labels_json`;

/**
 * One tenant's hour: a statement per feature that had routed requests. `labelled` false (the hour
 * still open) stores its histogram without labels: its frontier-served labels come from small
 * shadows judged minutes after their request, its small-served ones at once, so an open hour's
 * labels over-weigh the small-served side (the band optimistic) until later runs recompute it closed.
 */
async function hourStatements(db: D1Database, tenantId: string, hour: number, o: TrafficJobOptions, now: number, labelled: boolean): Promise<D1PreparedStatement[]> {
  const passScore = o.passScore ?? PASS_SCORE;
  const smallTiers = o.smallTiers ?? ["small"];
  const [hist, judged] = await db.batch([
    db.prepare(HIST).bind(tenantId, hour, hour + HOUR),
    db.prepare(JUDGED).bind(tenantId, hour, hour + HOUR, passScore),
  ]);
  const byFeature = new Map<string, Bin[]>();
  for (const r of z.array(HistRow).parse(hist?.results ?? [])) {
    const rate = o.ledgerRate?.(tenantId, r.feature === "" ? null : r.feature) ?? 1;
    const bin: Bin = rate > 0 && rate < 1 ? [r.bin, Math.round(r.n / rate), r.s / rate] : [r.bin, r.n, r.s];
    byFeature.set(r.feature, [...(byFeature.get(r.feature) ?? []), bin]);
  }
  const judgedBy = new Map<string, TrafficSummary["judged"]>();
  for (const r of z.array(JudgedRow).parse(judged?.results ?? [])) judgedBy.set(r.feature, { ...judgedBy.get(r.feature), [r.tier]: { judged: r.judged, passed: r.passed } });
  const labels = labelled ? await hourLabels(db, tenantId, hour, HOUR, passScore, smallTiers, now) : new Map<string, LabelBin[]>();
  // A feature with labels but no routed request this hour (judged after the hour closed) keeps them too.
  for (const f of labels.keys()) if (!byFeature.has(f)) byFeature.set(f, []);
  return [...byFeature].map(([feature, bins]) => {
    const sorted = mergeBins([bins]);
    const requests = sorted.reduce((n, [, k]) => n + k, 0);
    return db.prepare(UPSERT).bind(tenantId, feature, hour, requests, JSON.stringify(sorted), JSON.stringify(judgedBy.get(feature) ?? {}), now, JSON.stringify(labels.get(feature) ?? []));
  });
}

const StoredRow = z.object({ feature: z.string(), requests: z.number().int(), bins_json: z.string(), judged_json: z.string(), labels_json: z.string() });
const StoredBins = z.array(z.tuple([z.number().int(), z.number().int(), z.number()]));
const StoredJudged = z.record(z.string(), z.object({ judged: z.number().int(), passed: z.number().int() }));
const StoredLabels = z.array(z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]));

type Part = { bins: Bin[][]; judged: TrafficSummary["judged"][]; labels: LabelBin[][]; requests: number };

/** The window's summaries of one tenant: per feature ('' = none) and the whole tenant. */
export async function windowSummaries(db: D1Database, tenantId: string, from: number, to: number): Promise<{ features: Map<string, TrafficSummary>; all: TrafficSummary | null }> {
  const { results } = await db
    .prepare("SELECT feature, requests, bins_json, judged_json, labels_json FROM router_complexity_hourly WHERE tenant_id = ?1 AND hour >= ?2 AND hour < ?3 LIMIT 20000")
    .bind(tenantId, from, to)
    .all();
  const parts = new Map<string, Part>();
  for (const r of z.array(StoredRow).parse(results)) {
    const p = parts.get(r.feature) ?? { bins: [], judged: [], labels: [], requests: 0 };
    p.bins.push(StoredBins.parse(JSON.parse(r.bins_json)));
    p.judged.push(StoredJudged.parse(JSON.parse(r.judged_json)));
    p.labels.push(StoredLabels.parse(JSON.parse(r.labels_json)));
    p.requests += r.requests;
    parts.set(r.feature, p);
  }
  const summary = (p: Part): TrafficSummary => ({ version: 1, from, to, requests: p.requests, bins: mergeBins(p.bins), judged: mergeJudged(p.judged), labels: mergeLabels(p.labels) });
  const features = new Map([...parts].map(([f, p]) => [f, summary(p)] as const));
  const every = [...parts.values()];
  const all = every.length ? summary({ bins: every.flatMap((p) => p.bins), judged: every.flatMap((p) => p.judged), labels: every.flatMap((p) => p.labels), requests: every.reduce((n, p) => n + p.requests, 0) }) : null;
  return { features, all };
}

/** Publishes one tenant's window: the whole tenant and its busiest features. Returns the number of values written. */
async function publish(db: D1Database, kv: KVNamespace, tenantId: string, from: number, to: number, ttlSeconds: number): Promise<number> {
  const { features, all } = await windowSummaries(db, tenantId, from, to);
  if (!all) return 0;
  const busiest = [...features].filter(([, s]) => s.requests >= MIN_PUBLISHED_REQUESTS).sort((a, b) => b[1].requests - a[1].requests).slice(0, MAX_PUBLISHED_FEATURES);
  const writes: Array<[string, TrafficSummary]> = [[trafficKey(tenantId, ALL_SCOPE), all], ...busiest.map(([f, s]): [string, TrafficSummary] => [trafficKey(tenantId, featureScope(f)), s])];
  await Promise.all(writes.map(([key, value]) => kv.put(key, JSON.stringify(value), { expirationTtl: ttlSeconds })));
  return writes.length;
}

// A tenant-wide row or a feature row can carry the target (also inside perTenant/perFeature or a canary candidate).
const TARGETED = `SELECT DISTINCT tenant_id FROM tenant_settings WHERE settings_json LIKE '%"qualityTarget"%' LIMIT 10000`;

/** Cross-tenant by design (a cron). Without a KV binding the histograms are still kept. */
export async function runTrafficJob(db: D1Database, kv: KVNamespace | undefined, scheduledTime: number, o: TrafficJobOptions, now = Date.now()): Promise<TrafficJobResult> {
  const current = Math.floor(scheduledTime / HOUR) * HOUR;
  // Several closed hours, not one: a shadow's verdict comes after its served request (the shadow
  // call runs once the answer is out, then the judges), so an hour's labels are still arriving when
  // the first run after it closes; they count until the judging horizon (RECOMPUTED_HOURS).
  const hours = Array.from({ length: RECOMPUTED_HOURS + 1 }, (_, i) => current - (RECOMPUTED_HOURS - i) * HOUR);
  const active = await db
    .prepare("SELECT DISTINCT tenant_id FROM usage_rollups_hourly WHERE hour >= ?1 AND hour <= ?2 AND kind = 'request' LIMIT 10000")
    .bind(hours[0], current)
    .all();
  const tenants = z.array(z.object({ tenant_id: z.string() })).parse(active.results).map((r) => r.tenant_id);
  let hourRows = 0;
  for (const tenantId of tenants) {
    const statements = (await Promise.all(hours.map((h) => hourStatements(db, tenantId, h, o, now, h < current)))).flat();
    if (statements.length) await db.batch(statements);
    hourRows += statements.length;
  }
  let published = 0;
  if (kv) {
    const targeted = z.array(z.object({ tenant_id: z.string() })).parse((await db.prepare(TARGETED).all()).results);
    const from = current + HOUR - o.windowHours * HOUR;
    for (const { tenant_id } of targeted) published += await publish(db, kv, tenant_id, from, current + HOUR, (o.windowHours + 2) * 3_600);
  }
  return { tenants: tenants.length, hourRows, published };
}
