-- The usage ledger: one row per gateway request (kind 'request') and one per model call the
-- gateway itself made because of it (kind 'judge', linked by parent_request_id), so judge cost
-- is attributed to the tenant and feature that caused it. The primary key is the request id:
-- the consumer inserts with ON CONFLICT DO NOTHING, so a redelivered event never counts twice.
-- `ingest_nonce` is written by the delivery that inserted the row; the rollup upsert in the
-- same D1 batch only adds when the nonce matches, i.e. only when this delivery inserted.
-- No foreign key to tenants: the ledger must keep the spend of a deleted tenant.
-- Money in USD (REAL), timestamps in ms since the epoch, hour = start of the UTC hour in ms.
CREATE TABLE usage_ledger (
  request_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('request', 'judge')),
  parent_request_id TEXT,
  key_id TEXT NOT NULL,
  feature TEXT NOT NULL DEFAULT '',
  end_user TEXT,
  requested_model TEXT,
  model TEXT NOT NULL DEFAULT '',
  tier TEXT NOT NULL DEFAULT '',
  upstream TEXT,
  status INTEGER NOT NULL,
  error_code TEXT,
  cache_status TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  cached_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  -- 'table' = priced from model_prices at completed_at; 'event' = the gateway's own costUsd.
  price_source TEXT NOT NULL CHECK (price_source IN ('table', 'event')),
  counterfactual_cost_usd REAL,
  cost_avoided_usd REAL NOT NULL DEFAULT 0,
  latency_ms REAL NOT NULL,
  ttft_ms REAL,
  route_complexity REAL,
  route_intent TEXT,
  received_at INTEGER NOT NULL,
  completed_at INTEGER NOT NULL,
  hour INTEGER NOT NULL,
  ingested_at INTEGER NOT NULL,
  ingest_nonce TEXT NOT NULL
);

CREATE INDEX usage_ledger_tenant_time ON usage_ledger (tenant_id, completed_at);
CREATE INDEX usage_ledger_parent ON usage_ledger (parent_request_id) WHERE parent_request_id IS NOT NULL;
