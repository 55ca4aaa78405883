/**
 * The D1 statements that record one ledger row and its rollup, meant to run in ONE db.batch()
 * (a transaction). Idempotency: the insert is ON CONFLICT DO NOTHING on the request id, and
 * the rollup upsert reads its numbers back from the ledger row only if that row carries this
 * delivery's nonce, i.e. only if this delivery inserted it. A replay adds nothing anywhere.
 */
import { ERROR_STATUS_SQL } from "../../../../shared/schemas/usage-event";
import { hourOf, type LedgerRow } from "./ledger-row";

const INSERT_LEDGER = `INSERT INTO usage_ledger (request_id, tenant_id, kind, parent_request_id, key_id, feature, end_user,
  requested_model, model, tier, upstream, status, error_code, cache_status, prompt_tokens, completion_tokens, cached_tokens,
  reasoning_tokens, cost_usd, price_source, counterfactual_cost_usd, cost_avoided_usd, latency_ms, ttft_ms, route_complexity,
  route_intent, received_at, completed_at, hour, ingested_at, ingest_nonce)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)
ON CONFLICT (request_id) DO NOTHING`;

const UPSERT_ROLLUP = `INSERT INTO usage_rollups_hourly (tenant_id, hour, feature, model, tier, key_id, kind, requests, errors, cache_hits,
  prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_usd, cost_avoided_usd, latency_ms_sum)
SELECT tenant_id, hour, feature, model, tier, key_id, kind, 1, CASE WHEN ${ERROR_STATUS_SQL} THEN 1 ELSE 0 END,
  CASE WHEN cache_status IN ('hit-exact', 'hit-semantic') THEN 1 ELSE 0 END,
  prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_usd, cost_avoided_usd, latency_ms
FROM usage_ledger WHERE request_id = ?1 AND tenant_id = ?2 AND ingest_nonce = ?3
ON CONFLICT (tenant_id, hour, feature, model, tier, key_id, kind) DO UPDATE SET
  requests = requests + excluded.requests, errors = errors + excluded.errors, cache_hits = cache_hits + excluded.cache_hits,
  prompt_tokens = prompt_tokens + excluded.prompt_tokens, completion_tokens = completion_tokens + excluded.completion_tokens,
  cached_tokens = cached_tokens + excluded.cached_tokens, reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,
  cost_usd = cost_usd + excluded.cost_usd, cost_avoided_usd = cost_avoided_usd + excluded.cost_avoided_usd,
  latency_ms_sum = latency_ms_sum + excluded.latency_ms_sum`;

export function ledgerStatements(db: D1Database, row: LedgerRow, nonce: string, now: number): D1PreparedStatement[] {
  const u = row.usage;
  const insert = db
    .prepare(INSERT_LEDGER)
    .bind(
      row.requestId, row.tenantId, row.kind, row.parentRequestId, row.keyId, row.feature, row.endUser,
      row.requestedModel, row.model, row.tier, row.upstream, row.status, row.errorCode, row.cacheStatus,
      u.input.total, u.output.total, u.input.cached, u.output.reasoning, row.costUsd, row.priceSource,
      row.counterfactualCostUsd, row.costAvoidedUsd, row.latencyMs, row.ttftMs, row.routeComplexity,
      row.routeIntent, row.receivedAt, row.completedAt, hourOf(row.completedAt), now, nonce,
    );
  const rollup = db.prepare(UPSERT_ROLLUP).bind(row.requestId, row.tenantId, nonce);
  return [insert, rollup];
}

export const newNonce = (): string => crypto.randomUUID();
