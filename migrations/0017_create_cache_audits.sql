-- Quality audit of sampled semantic cache hits: the judge panel's verdict on whether the
-- cached answer (to the cached question) correctly and completely answers the new question.
-- One row per audited request (the hit's request id), so a redelivered event is judged once.
-- `correct` is fixed at judging time (score_mean >= pass_score, both stored); status 'error'
-- = judges unreachable after the retry budget (no verdict, excluded from precision).
-- Hit precision and the threshold suggestion are computed from these rows by the gateway
-- (GET /v1/cache/quality).
CREATE TABLE cache_audits (
  request_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  feature TEXT NOT NULL DEFAULT '',
  entry_id TEXT NOT NULL,
  similarity REAL NOT NULL,
  cached_model_or_tier TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
  score_mean REAL,
  pass_score REAL NOT NULL,
  correct INTEGER,
  judges_json TEXT NOT NULL,
  judge_cost_usd REAL NOT NULL DEFAULT 0,
  panel_version TEXT NOT NULL,
  -- When the hit was served (the event's completedAt), ms; judged_at = when the panel ran.
  created_at INTEGER NOT NULL,
  judged_at INTEGER NOT NULL
);

CREATE INDEX cache_audits_tenant_feature_time ON cache_audits (tenant_id, feature, created_at);
CREATE INDEX cache_audits_tenant_time ON cache_audits (tenant_id, created_at);
