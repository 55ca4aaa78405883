-- Per-tenant policy for the request path (guardrails, cache, router), optionally per feature.
-- `feature` = '' holds the tenant-wide layer; a feature's row is merged over it. Each row is
-- a JSON object of partial section inputs, validated by the gateway's zod schemas on write.
CREATE TABLE tenant_settings (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  feature TEXT NOT NULL DEFAULT '',
  settings_json TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, feature)
);
