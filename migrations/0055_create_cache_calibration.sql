-- Correctness feedback on semantic cache hits, counted per calibration namespace and similarity
-- band, for the false-hit bound (workers/gateway/src/cache/calibration). A namespace is a tenant,
-- a feature ('' for none) and a scorer (embedder id + lexical weight: the hit score's scale).
-- band_key = the band's lowest hit score in thousandths (500, 520, ... 980).
-- Counts grow in the same D1 batch as the row that carries the verdict (a cache_audits,
-- cache_shadow_checks or cache_feedback row), gated on that row not existing yet, so a redelivered event or a repeated
-- report counts once. The gateway reads a namespace's rows at most once per isolate cache TTL.
CREATE TABLE cache_calibration (
  tenant_id TEXT NOT NULL,
  feature TEXT NOT NULL DEFAULT '',
  scorer_id TEXT NOT NULL,
  band_key INTEGER NOT NULL,
  checks INTEGER NOT NULL DEFAULT 0,
  wrong INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, feature, scorer_id, band_key)
);

-- Audited hits carry their namespace scorer and band.
ALTER TABLE cache_audits ADD COLUMN scorer_id TEXT NOT NULL DEFAULT '';
ALTER TABLE cache_audits ADD COLUMN band_key INTEGER;

-- Shadow checks: a near-miss the threshold refused, sampled, its cached answer judged against the
-- question that was asked (the fresh answer as reference). Same columns as cache_audits, kept
-- apart because nothing here was served: hit precision (GET /v1/cache/quality) reads
-- cache_audits only. One row per request, like an audit.
CREATE TABLE cache_shadow_checks (
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
  created_at INTEGER NOT NULL,
  judged_at INTEGER NOT NULL,
  scorer_id TEXT NOT NULL DEFAULT '',
  band_key INTEGER
);

CREATE INDEX cache_shadow_checks_tenant_time ON cache_shadow_checks (tenant_id, created_at);

-- Client reports on served semantic hits (POST /v1/feedback), one per request. Only 'wrong' is
-- counted in the bound: clients choose what they report, and a report of a wrong answer can
-- only make the cache stricter.
CREATE TABLE cache_feedback (
  tenant_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('correct', 'wrong')),
  feature TEXT NOT NULL DEFAULT '',
  scorer_id TEXT NOT NULL,
  band_key INTEGER NOT NULL,
  key_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, request_id)
);
