/**
 * The D1 statements that record one ledger row and its rollup, meant to run in ONE db.batch()
 * (a transaction). Idempotency: the insert is ON CONFLICT DO NOTHING on the request id, and
 * the rollup upsert reads its numbers back from the ledger row only if that row carries this
 * delivery's nonce, i.e. only if this delivery inserted it. A replay adds nothing anywhere.
 */
import { bucketSql } from "../../../../shared/latency-histogram";
import { ERROR_STATUS_SQL } from "../../../../shared/schemas/usage-event";
import { hourOf, SHADOW_SKIPPED, SHADOW_SUFFIX, type LedgerRow } from "./ledger-row";

/** usage_ledger's columns in INSERT order: the D1 insert and a sampled-out row's R2 record (ledger-sampling.ts) bind them alike. */
export const LEDGER_COLUMNS = [
  "request_id", "tenant_id", "kind", "parent_request_id", "key_id", "feature", "end_user", "requested_model", "model", "tier", "upstream",
  "status", "error_code", "cache_status", "prompt_tokens", "completion_tokens", "cached_tokens", "reasoning_tokens", "cost_usd",
  "price_source", "counterfactual_cost_usd", "cost_avoided_usd", "latency_ms", "ttft_ms", "route_complexity", "route_intent",
  "received_at", "completed_at", "hour", "ingested_at", "ingest_nonce", "prompt_id", "prompt_version",
] as const;

const INSERT_LEDGER = `INSERT INTO usage_ledger (${LEDGER_COLUMNS.join(", ")})
VALUES (${LEDGER_COLUMNS.map((_, i) => `?${i + 1}`).join(", ")})
ON CONFLICT (request_id) DO NOTHING`;

/**
 * The rollup's kind (rollupKind in ledger-row.ts, in SQL): a call the gateway made because of a
 * request (a 'request' row with a parent) rolls up as 'shadow' (`<id>:shadow`) or 'draft' (an
 * escalated cascade draft), so GET /v1/usage bills it without counting it as a client request and
 * nets it from the request's cost avoided; a shadow's skip marker rolls up as 'shadow_skipped' (not a
 * call). Rows rolled up before 'shadow' existed left shadows in 'draft', and before 'shadow_skipped'
 * existed left markers in 'shadow' (requests 1, cost 0).
 */
const ROLLUP_KIND = `CASE WHEN kind = 'request' AND parent_request_id IS NOT NULL
  THEN (CASE WHEN substr(request_id, -${SHADOW_SUFFIX.length}) != '${SHADOW_SUFFIX}' THEN 'draft'
    WHEN error_code = '${SHADOW_SKIPPED}' THEN '${SHADOW_SKIPPED}' ELSE 'shadow' END) ELSE kind END`;

/** The part of a row's cost avoided that the cache avoided (the rest, routing: migration 0064). */
const AVOIDED_BY_CACHE = "CASE WHEN cache_status IN ('hit-exact', 'hit-semantic') THEN cost_avoided_usd ELSE 0 END";

/** The upsert's merge, shared with the per-pack rollups (pack-rollups.ts). */
export const ROLLUP_CONFLICT = `ON CONFLICT (tenant_id, hour, feature, model, tier, key_id, kind) DO UPDATE SET
  requests = requests + excluded.requests, errors = errors + excluded.errors, cache_hits = cache_hits + excluded.cache_hits,
  prompt_tokens = prompt_tokens + excluded.prompt_tokens, completion_tokens = completion_tokens + excluded.completion_tokens,
  cached_tokens = cached_tokens + excluded.cached_tokens, reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,
  cost_usd = cost_usd + excluded.cost_usd, cost_avoided_usd = cost_avoided_usd + excluded.cost_avoided_usd,
  cost_avoided_cache_usd = cost_avoided_cache_usd + excluded.cost_avoided_cache_usd,
  latency_ms_sum = latency_ms_sum + excluded.latency_ms_sum`;

const UPSERT_ROLLUP = `INSERT INTO usage_rollups_hourly (tenant_id, hour, feature, model, tier, key_id, kind, requests, errors, cache_hits,
  prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_usd, cost_avoided_usd, cost_avoided_cache_usd, latency_ms_sum)
SELECT tenant_id, hour, feature, model, tier, key_id, ${ROLLUP_KIND}, 1, CASE WHEN ${ERROR_STATUS_SQL} THEN 1 ELSE 0 END,
  CASE WHEN cache_status IN ('hit-exact', 'hit-semantic') THEN 1 ELSE 0 END,
  prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_usd, cost_avoided_usd, ${AVOIDED_BY_CACHE}, latency_ms
FROM usage_ledger WHERE request_id = ?1 AND tenant_id = ?2 AND ingest_nonce = ?3
${ROLLUP_CONFLICT}`;

/**
 * The latency and TTFT histograms (shared/latency-histogram.ts) of the client requests among
 * the ledger rows matching `where` (which must pin this delivery's nonce, as the rollups do).
 */
const CLIENT_REQUEST = "kind = 'request' AND parent_request_id IS NULL";
const UPSERT_HISTOGRAMS = (where: string) => `INSERT INTO latency_histograms_hourly (tenant_id, hour, feature, metric, bucket, count)
SELECT tenant_id, hour, feature, metric, bucket, COUNT(*) FROM (
  SELECT tenant_id, hour, feature, 'latency' AS metric, ${bucketSql("latency_ms")} AS bucket FROM usage_ledger WHERE ${where} AND ${CLIENT_REQUEST}
  UNION ALL
  SELECT tenant_id, hour, feature, 'ttft' AS metric, ${bucketSql("ttft_ms")} AS bucket FROM usage_ledger WHERE ${where} AND ${CLIENT_REQUEST} AND ttft_ms IS NOT NULL
) GROUP BY tenant_id, hour, feature, metric, bucket
ON CONFLICT (tenant_id, hour, feature, metric, bucket) DO UPDATE SET count = count + excluded.count`;
const UPSERT_ROW_HISTOGRAMS = UPSERT_HISTOGRAMS("request_id = ?1 AND tenant_id = ?2 AND ingest_nonce = ?3");

/** A row's values in LEDGER_COLUMNS order (`nonce` null for a row written to R2 instead of D1). */
function ledgerValues(row: LedgerRow, nonce: string | null, now: number): (string | number | null)[] {
  const u = row.usage;
  return [
    row.requestId, row.tenantId, row.kind, row.parentRequestId, row.keyId, row.feature, row.endUser,
    row.requestedModel, row.model, row.tier, row.upstream, row.status, row.errorCode, row.cacheStatus,
    u.input.total, u.output.total, u.input.cached, u.output.reasoning, row.costUsd, row.priceSource,
    row.counterfactualCostUsd, row.costAvoidedUsd, row.latencyMs, row.ttftMs, row.routeComplexity,
    row.routeIntent, row.receivedAt, row.completedAt, hourOf(row.completedAt), now, nonce, row.prompt?.id ?? null, row.prompt?.version ?? null,
  ];
}

/** The row as the archive holds it (column name -> value), for a row that goes to R2 instead of D1. */
export function ledgerRecord(row: LedgerRow, now: number): Record<string, string | number | null> {
  const values = ledgerValues(row, null, now);
  return Object.fromEntries(LEDGER_COLUMNS.map((c, i) => [c, values[i] ?? null]));
}

/** The ledger row alone; its rollup comes from rollupStatements over the batch's ids. */
export function ledgerInsert(db: D1Database, row: LedgerRow, nonce: string, now: number): D1PreparedStatement {
  return db.prepare(INSERT_LEDGER).bind(...ledgerValues(row, nonce, now));
}

/** One row and its rollup (callers writing many rows at once use ledgerInsert + rollupStatements). */
export function ledgerStatements(db: D1Database, row: LedgerRow, nonce: string, now: number): D1PreparedStatement[] {
  const out = [ledgerInsert(db, row, nonce, now), db.prepare(UPSERT_ROLLUP).bind(row.requestId, row.tenantId, nonce)];
  // Judge calls and cascade drafts are not client requests: no histogram statement to run for them.
  if (row.kind === "request" && row.parentRequestId === null) out.push(db.prepare(UPSERT_ROW_HISTOGRAMS).bind(row.requestId, row.tenantId, nonce));
  return out;
}

const UPSERT_ROLLUPS = (marks: string) => `INSERT INTO usage_rollups_hourly (tenant_id, hour, feature, model, tier, key_id, kind, requests, errors,
  cache_hits, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_usd, cost_avoided_usd, cost_avoided_cache_usd, latency_ms_sum)
SELECT tenant_id, hour, feature, model, tier, key_id, ${ROLLUP_KIND} AS rollup_kind, COUNT(*), SUM(${ERROR_STATUS_SQL}), SUM(cache_status IN ('hit-exact', 'hit-semantic')),
  SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), SUM(reasoning_tokens), SUM(cost_usd), SUM(cost_avoided_usd), SUM(${AVOIDED_BY_CACHE}), SUM(latency_ms)
FROM usage_ledger WHERE ingest_nonce = ?1 AND request_id IN (${marks})
GROUP BY tenant_id, hour, feature, model, tier, key_id, rollup_kind
${ROLLUP_CONFLICT}`;

/**
 * The rollups (and latency histograms) of many ledger rows written in the same D1 batch with the
 * same nonce: one grouped upsert each per 90 request ids instead of one per row (D1 binds 100
 * parameters a statement). Same
 * idempotency as the per-row upsert: only rows this delivery inserted carry its nonce.
 */
export function rollupStatements(db: D1Database, requestIds: readonly string[], nonce: string): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (let i = 0; i < requestIds.length; i += 90) {
    const ids = requestIds.slice(i, i + 90);
    const marks = ids.map((_, k) => `?${k + 2}`).join(", ");
    out.push(db.prepare(UPSERT_ROLLUPS(marks)).bind(nonce, ...ids), db.prepare(UPSERT_HISTOGRAMS(`ingest_nonce = ?1 AND request_id IN (${marks})`)).bind(nonce, ...ids));
  }
  return out;
}

export const newNonce = (): string => crypto.randomUUID();
