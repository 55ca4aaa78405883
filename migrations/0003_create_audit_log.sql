-- Tamper-evident, append-only audit log. Each row's `hash` is SHA-256 over the canonical JSON
-- of its fields plus `prev_hash` (the previous row's hash), so editing, deleting, inserting or
-- reordering rows breaks the chain (see workers/gateway/src/audit/). `seq` is dense from 1.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  created_at INTEGER NOT NULL,
  tenant_id TEXT,
  actor TEXT,
  action TEXT NOT NULL,
  target TEXT,
  detail TEXT NOT NULL DEFAULT '{}',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);

CREATE INDEX audit_log_tenant ON audit_log (tenant_id, seq);

-- No code path updates or deletes audit rows; the database refuses too.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
