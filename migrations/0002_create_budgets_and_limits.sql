-- Monthly USD budgets per tenant, key or feature, and per-minute rate limits per tenant.
-- scope_id is '' for the tenant-wide budget so the primary key stays NOT NULL.
CREATE TABLE budgets (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  scope TEXT NOT NULL CHECK (scope IN ('tenant', 'key', 'feature')),
  scope_id TEXT NOT NULL DEFAULT '',
  monthly_usd REAL NOT NULL CHECK (monthly_usd >= 0),
  policy TEXT NOT NULL CHECK (policy IN ('block', 'downgrade')),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, scope, scope_id)
);

-- One row per budget and month once spend crosses the alert threshold: INSERT OR IGNORE makes
-- the 80% alert fire once per month even with many isolates racing.
CREATE TABLE budget_alerts (
  tenant_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  month TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, scope, scope_id, month)
);

-- NULL = unlimited for that dimension.
CREATE TABLE tenant_limits (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
  tenant_requests_per_minute INTEGER,
  tenant_tokens_per_minute INTEGER,
  key_requests_per_minute INTEGER,
  key_tokens_per_minute INTEGER,
  updated_at INTEGER NOT NULL
);
