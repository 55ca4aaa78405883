-- Per-minute counters of the consumer's events (ROLLUP_DEDUP=message, workers/evaluator/src/ledger/
-- minute-counters.ts): what the alert metrics (spend_usd, error_rate, latency_p95) read instead of
-- scanning client ledger rows, so those rows can leave D1 (LEDGER_SAMPLING). Written in the same
-- gated D1 batch as the pack's hourly rollups (a pack counts once, consumed_messages). One row per
-- (tenant, UTC minute of completion, feature; '' = no feature):
--   events      every consumer event (client requests, cascade drafts, shadow calls)
--   requests    client requests (no draft, no shadow), errors: those with an error status (not 499)
--   cost_usd    every consumer event's cost (judge calls are not consumer events: their ledger rows stay in D1)
--   lag_ms_*    ingested_at - completed_at of the events (queue + consumer time) at their first delivery
--   latency_hist  client requests' latency histogram, JSON {"<bucket>": count} with shared/latency-histogram.ts
--               buckets: one column, not a row per bucket, so a pack writes one row per (minute, feature).
-- Pruned by the cron after MINUTE_COUNTERS_DAYS (alert windows are at most 7 days).
CREATE TABLE usage_counters_minutely (
  tenant_id TEXT NOT NULL,
  minute INTEGER NOT NULL,
  feature TEXT NOT NULL,
  events INTEGER NOT NULL DEFAULT 0,
  requests INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  lag_ms_sum INTEGER NOT NULL DEFAULT 0,
  lag_ms_max INTEGER NOT NULL DEFAULT 0,
  latency_hist TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (tenant_id, minute, feature)
) WITHOUT ROWID;

CREATE INDEX usage_counters_minutely_time ON usage_counters_minutely (minute);
