-- Hourly rollups maintained on ledger insert (same D1 batch), so GET /v1/usage reads a few
-- rows per hour instead of scanning the ledger. '' stands for "no feature" because NULLs are
-- distinct in a primary key and would split the upsert.
CREATE TABLE usage_rollups_hourly (
  tenant_id TEXT NOT NULL,
  hour INTEGER NOT NULL,
  feature TEXT NOT NULL,
  model TEXT NOT NULL,
  tier TEXT NOT NULL,
  key_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  cache_hits INTEGER NOT NULL DEFAULT 0,
  prompt_tokens INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0,
  cached_tokens INTEGER NOT NULL DEFAULT 0,
  reasoning_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  cost_avoided_usd REAL NOT NULL DEFAULT 0,
  latency_ms_sum REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, hour, feature, model, tier, key_id, kind)
);
