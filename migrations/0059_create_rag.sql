-- Retrieval-augmented generation (workers/gateway/src/rag/, docs/rag.md): collections of
-- documents per tenant, split into chunks that are searched lexically here (FTS5 BM25) and
-- densely in the vector index. Everything is keyed by tenant first. Chunk text is stored as
-- redacted at ingestion (the tenant's PII policy); originals behind reversible placeholders
-- live only in `pii_vault`, an envelope-encrypted blob (shared/crypto/envelope.ts).
CREATE TABLE rag_collections (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  chunk_size INTEGER NOT NULL,
  chunk_overlap INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

-- status: queued | indexing | ready | failed. chunks_indexed / chunks_total is the progress of
-- a large upload processed through the ingest queue.
CREATE TABLE rag_documents (
  tenant_id TEXT NOT NULL,
  collection_id TEXT NOT NULL,
  id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  metadata_json TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL,
  chunks_total INTEGER NOT NULL,
  chunks_indexed INTEGER NOT NULL DEFAULT 0,
  pii_entities INTEGER NOT NULL DEFAULT 0,
  pii_vault TEXT,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, collection_id, id)
);

-- chunk_id is derived from (tenant, collection, document, content hash, position): a changed
-- document gets new chunk ids, which the grounded-chat cache key includes. `scope` is one token
-- per (tenant, collection) that every lexical query must match, so FTS5 never returns another
-- collection's rows.
CREATE TABLE rag_chunks (
  rowid INTEGER PRIMARY KEY,
  chunk_id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL,
  collection_id TEXT NOT NULL,
  document_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  seq INTEGER NOT NULL,
  scope TEXT NOT NULL,
  heading TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  metadata_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX rag_chunks_by_document ON rag_chunks (tenant_id, collection_id, document_id);

CREATE VIRTUAL TABLE rag_chunks_fts USING fts5(
  scope, heading, text, content = 'rag_chunks', content_rowid = 'rowid', tokenize = 'porter unicode61'
);
-- Document frequencies of stemmed terms, read by the reranker's features.
CREATE VIRTUAL TABLE rag_chunks_terms USING fts5vocab('rag_chunks_fts', 'row');

CREATE TRIGGER rag_chunks_fts_insert AFTER INSERT ON rag_chunks BEGIN
  INSERT INTO rag_chunks_fts (rowid, scope, heading, text) VALUES (new.rowid, new.scope, new.heading, new.text);
END;
CREATE TRIGGER rag_chunks_fts_delete AFTER DELETE ON rag_chunks BEGIN
  INSERT INTO rag_chunks_fts (rag_chunks_fts, rowid, scope, heading, text) VALUES ('delete', old.rowid, old.scope, old.heading, old.text);
END;
