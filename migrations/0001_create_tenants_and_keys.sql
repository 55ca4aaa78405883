-- Tenants and their API keys. Only a SHA-256 hash of each key is stored; `key_prefix` is the
-- short public part of the key (gw_<env>_<prefix>_<secret>) used to find the row, so a lookup
-- never needs the secret. Timestamps are ms since the Unix epoch (like usage events).
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  key_prefix TEXT NOT NULL UNIQUE,
  key_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'developer', 'viewer', 'service')),
  -- JSON arrays of strings; NULL allow-list = no restriction.
  scopes TEXT NOT NULL DEFAULT '[]',
  models TEXT,
  tiers TEXT,
  features TEXT,
  name TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER,
  -- Set on the new key when a key is rotated, so the audit trail links the two.
  rotated_from TEXT
);

CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at);
