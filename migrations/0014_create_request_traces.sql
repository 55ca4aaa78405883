-- The story of one request for GET /v1/requests/:id: stages, attempts and decisions (no
-- content) in trace_json; the redacted exchange only as an AES-GCM envelope
-- (shared/crypto/envelope.ts), so D1 never holds content in plaintext. content_meta_json holds
-- what is safe without decryption: roles, lengths and the redaction placeholders seen.
CREATE TABLE request_traces (
  request_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  trace_json TEXT NOT NULL,
  content_meta_json TEXT,
  content_envelope TEXT,
  created_at INTEGER NOT NULL
);

CREATE INDEX request_traces_tenant_time ON request_traces (tenant_id, created_at);
