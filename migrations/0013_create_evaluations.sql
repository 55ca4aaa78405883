-- One judged evaluation per request: deterministic checks, each judge's rubric scores, the
-- panel aggregate and what judging cost. status 'error' = judges unreachable after the retry
-- budget (kept so the message is acked and the gap is visible).
CREATE TABLE evaluations (
  request_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  feature TEXT NOT NULL DEFAULT '',
  model TEXT NOT NULL DEFAULT '',
  tier TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
  score_mean REAL,
  disagreement INTEGER NOT NULL DEFAULT 0,
  checks_json TEXT NOT NULL,
  judges_json TEXT NOT NULL,
  judge_cost_usd REAL NOT NULL DEFAULT 0,
  panel_version TEXT NOT NULL,
  completed_at INTEGER NOT NULL,
  evaluated_at INTEGER NOT NULL
);

CREATE INDEX evaluations_tenant_time ON evaluations (tenant_id, completed_at);
