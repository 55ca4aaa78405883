-- Admin-configured alert rules and their firings. A firing is keyed by (rule, window start):
-- the same rule crossing in the same window fires once, however often the cron evaluates it.
CREATE TABLE alert_rules (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  name TEXT,
  metric TEXT NOT NULL CHECK (metric IN ('judge_score_mean', 'error_rate', 'latency_p95', 'spend_usd', 'drift_psi')),
  comparator TEXT NOT NULL CHECK (comparator IN ('gt', 'gte', 'lt', 'lte')),
  threshold REAL NOT NULL,
  window_minutes INTEGER NOT NULL,
  webhook_url TEXT NOT NULL,
  -- Name of the Worker secret holding the HMAC key; the key itself never enters D1.
  secret_name TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);

CREATE INDEX alert_rules_tenant ON alert_rules (tenant_id);

CREATE TABLE alert_firings (
  rule_id TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  tenant_id TEXT NOT NULL,
  value REAL NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  fired_at INTEGER NOT NULL,
  delivered_at INTEGER,
  PRIMARY KEY (rule_id, window_start)
);
