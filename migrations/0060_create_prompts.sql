-- Prompt management (workers/gateway/src/prompts/, docs/prompts.md): templates per tenant with
-- immutable numbered versions and movable labels. Everything is keyed by tenant first, so no
-- query can reach another tenant's prompts. `feature` NULL = a tenant-wide prompt; a prompt
-- with a feature is visible to, and usable by, keys allowed that feature only.
CREATE TABLE prompts (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  feature TEXT,
  latest_version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

-- A version is never changed or removed once written: what a ledger row says was served
-- (prompt_id, prompt_version) must stay readable as it was. Triggers refuse UPDATE and DELETE,
-- as for the audit log; a new version is the only way to change a template.
CREATE TABLE prompt_versions (
  tenant_id TEXT NOT NULL,
  prompt_id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  messages_json TEXT NOT NULL,
  variables_json TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (tenant_id, prompt_id, version)
);

CREATE TRIGGER prompt_versions_no_update BEFORE UPDATE ON prompt_versions
BEGIN SELECT RAISE(ABORT, 'prompt versions are immutable'); END;
CREATE TRIGGER prompt_versions_no_delete BEFORE DELETE ON prompt_versions
BEGIN SELECT RAISE(ABORT, 'prompt versions are immutable'); END;

-- A label names one version (production, staging, or the tenant's own). Moving it is the
-- release and the rollback; previous_version keeps where it was, for one-click undo. Every
-- move is also an audit_log row written in the same batch.
CREATE TABLE prompt_labels (
  tenant_id TEXT NOT NULL,
  prompt_id TEXT NOT NULL,
  label TEXT NOT NULL,
  version INTEGER NOT NULL,
  previous_version INTEGER,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (tenant_id, prompt_id, label)
);
