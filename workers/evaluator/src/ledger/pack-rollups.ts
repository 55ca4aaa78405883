/**
 * Rollups deduplicated per pack instead of per ledger row (ROLLUP_DEDUP=message; docs/evaluator.md,
 * "The arithmetic at 1k and 10k requests/s", step 2). The usage rollups and latency histograms of
 * one queue message's events are computed from the events themselves (one bound JSON array, not a
 * read-back of the ledger rows), pre-aggregated per (tenant, hour, feature, model, tier, key, kind)
 * in one upsert, and gated by a `consumed_messages` row inserted in the same D1 batch: they add
 * only if that row carries this delivery's nonce, i.e. only on the first delivery of the pack.
 *
 * Why this shape: the rollups no longer need a ledger row per event, which is what lets the
 * per-request rows leave D1 later (step 1). While the ledger rows are still written, an event whose
 * ledger row an earlier delivery inserted (another nonce) is also left out, so the count stays
 * exact even across packs that share an event and across a switch between the two modes.
 *
 * The pack key is a digest of the pack's sorted (tenant, request id) pairs, not the queue message
 * id: a redelivery (same id) and a replay of the same body under a new id (a dead-lettered message
 * sent again) are the same pack and count once.
 */
import { bucketSql } from "../../../../shared/latency-histogram";
import { CLIENT_CLOSED_STATUS } from "../../../../shared/schemas/usage-event";
import { hourOf, rollupKind, type LedgerRow } from "./ledger-row";
import { ROLLUP_CONFLICT } from "./ledger-statements";
import { minuteOf, upsertMinuteCounters } from "./minute-counters";

/** How the consumer deduplicates rollups: per ledger row (today's default) or per pack. */
export type RollupDedup = "ledger" | "message";

export function parseRollupDedup(raw: string | undefined): RollupDedup {
  if (raw === undefined || raw === "" || raw === "ledger") return "ledger";
  if (raw === "message") return "message";
  throw new Error(`ROLLUP_DEDUP must be "ledger" or "message", got ${JSON.stringify(raw.slice(0, 40))}`);
}

/** One event's contribution, in the short keys the SQL below reads from the bound JSON array. */
export interface RollupFact {
  i: string;
  t: string;
  h: number;
  f: string;
  m: string;
  r: string;
  k: string;
  /** The rollup's kind (rollupKind): a request with a parent rolls up as 'draft' or 'shadow'. */
  c: string;
  e: 0 | 1;
  x: 0 | 1;
  pt: number;
  ct: number;
  kt: number;
  rt: number;
  u: number;
  a: number;
  ac: number;
  l: number;
  /** 1 for a client request (the histograms count only those). */
  q: 0 | 1;
  tt: number | null;
  /** The minute of completion and the queue lag (ingestion - completion), for the minute counters. */
  mi: number;
  g: number;
}

export function rollupFact(row: LedgerRow, now: number): RollupFact {
  const hit = row.cacheStatus === "hit-exact" || row.cacheStatus === "hit-semantic";
  const client = row.kind === "request" && row.parentRequestId === null;
  return {
    i: row.requestId, t: row.tenantId, h: hourOf(row.completedAt), f: row.feature, m: row.model, r: row.tier, k: row.keyId,
    c: rollupKind(row),
    e: row.status >= 400 && row.status !== CLIENT_CLOSED_STATUS ? 1 : 0,
    x: hit ? 1 : 0,
    pt: row.usage.input.total, ct: row.usage.output.total, kt: row.usage.input.cached, rt: row.usage.output.reasoning,
    u: row.costUsd, a: row.costAvoidedUsd, ac: hit ? row.costAvoidedUsd : 0, l: row.latencyMs,
    q: client ? 1 : 0, tt: row.ttftMs, mi: minuteOf(row.completedAt), g: now - row.completedAt,
  };
}

/** The pack's key: SHA-256 of its sorted (tenant, request id) pairs, hex. */
export async function packKey(facts: readonly Pick<RollupFact, "t" | "i">[]): Promise<string> {
  const text = facts.map((f) => `${f.t}\u0000${f.i}`).sort().join("\n");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const FACTS = `(SELECT json_extract(value, '$.i') AS request_id, json_extract(value, '$.t') AS tenant_id, json_extract(value, '$.h') AS hour,
  json_extract(value, '$.f') AS feature, json_extract(value, '$.m') AS model, json_extract(value, '$.r') AS tier, json_extract(value, '$.k') AS key_id,
  json_extract(value, '$.c') AS rollup_kind, json_extract(value, '$.e') AS err, json_extract(value, '$.x') AS hit,
  json_extract(value, '$.pt') AS pt, json_extract(value, '$.ct') AS ct, json_extract(value, '$.kt') AS kt, json_extract(value, '$.rt') AS rt,
  json_extract(value, '$.u') AS cost, json_extract(value, '$.a') AS avoided, json_extract(value, '$.ac') AS avoided_cache,
  json_extract(value, '$.l') AS latency_ms, json_extract(value, '$.q') AS client, json_extract(value, '$.tt') AS ttft_ms,
  json_extract(value, '$.mi') AS minute, json_extract(value, '$.g') AS lag_ms
FROM json_each(?1)) f`;

/** First delivery of the pack only, and no event an earlier delivery already put in the ledger. */
const GATE = `EXISTS (SELECT 1 FROM consumed_messages WHERE pack_key = ?2 AND nonce = ?3)
  AND NOT EXISTS (SELECT 1 FROM usage_ledger l WHERE l.request_id = f.request_id AND l.ingest_nonce IS NOT ?3)`;

const INSERT_CONSUMED = `INSERT INTO consumed_messages (pack_key, message_id, nonce, events, consumed_at) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (pack_key) DO NOTHING`;

const UPSERT_PACK_ROLLUPS = `INSERT INTO usage_rollups_hourly (tenant_id, hour, feature, model, tier, key_id, kind, requests, errors,
  cache_hits, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_usd, cost_avoided_usd, cost_avoided_cache_usd, latency_ms_sum)
SELECT tenant_id, hour, feature, model, tier, key_id, rollup_kind, COUNT(*), SUM(err), SUM(hit), SUM(pt), SUM(ct), SUM(kt), SUM(rt),
  SUM(cost), SUM(avoided), SUM(avoided_cache), SUM(latency_ms)
FROM ${FACTS} WHERE ${GATE}
GROUP BY tenant_id, hour, feature, model, tier, key_id, rollup_kind
${ROLLUP_CONFLICT}`;

const UPSERT_PACK_HISTOGRAMS = `INSERT INTO latency_histograms_hourly (tenant_id, hour, feature, metric, bucket, count)
SELECT tenant_id, hour, feature, metric, bucket, COUNT(*) FROM (
  SELECT tenant_id, hour, feature, 'latency' AS metric, ${bucketSql("latency_ms")} AS bucket FROM ${FACTS} WHERE client = 1 AND ${GATE}
  UNION ALL
  SELECT tenant_id, hour, feature, 'ttft' AS metric, ${bucketSql("ttft_ms")} AS bucket FROM ${FACTS} WHERE client = 1 AND ttft_ms IS NOT NULL AND ${GATE}
) GROUP BY tenant_id, hour, feature, metric, bucket
ON CONFLICT (tenant_id, hour, feature, metric, bucket) DO UPDATE SET count = count + excluded.count`;

const UPSERT_PACK_MINUTES = upsertMinuteCounters(FACTS, GATE);

/**
 * The pack's consumed row, rollup upsert, histogram upsert and minute counters (minute-counters.ts), to run in ONE db.batch after the
 * pack's ledger inserts (written with the same nonce). An event listed twice counts once.
 */
export async function packRollupStatements(db: D1Database, messageId: string, rows: readonly LedgerRow[], nonce: string, now: number): Promise<D1PreparedStatement[]> {
  const unique = new Map<string, RollupFact>();
  for (const row of rows) if (!unique.has(row.requestId)) unique.set(row.requestId, rollupFact(row, now));
  const facts = [...unique.values()];
  if (facts.length === 0) return [];
  const key = await packKey(facts);
  const json = JSON.stringify(facts);
  return [
    db.prepare(INSERT_CONSUMED).bind(key, messageId.slice(0, 128), nonce, facts.length, now),
    db.prepare(UPSERT_PACK_ROLLUPS).bind(json, key, nonce),
    db.prepare(UPSERT_PACK_HISTOGRAMS).bind(json, key, nonce),
    db.prepare(UPSERT_PACK_MINUTES).bind(json, key, nonce),
  ];
}

/** Rows deleted per cron run at most (a few thousand packs an hour at 1k requests/s). */
export const PRUNE_LIMIT = 10_000;

/**
 * Forgets packs consumed before `before` (now minus the redelivery horizon: no delivery of them
 * can come any more). Bounded per run; returns the rows deleted.
 */
export async function pruneConsumedMessages(db: D1Database, before: number, limit = PRUNE_LIMIT): Promise<number> {
  const res = await db
    .prepare("DELETE FROM consumed_messages WHERE pack_key IN (SELECT pack_key FROM consumed_messages WHERE consumed_at < ?1 ORDER BY consumed_at LIMIT ?2)")
    .bind(before, limit)
    .run();
  return res.meta.changes ?? 0;
}
