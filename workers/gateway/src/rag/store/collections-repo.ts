/** Collection and document rows (migration 0059); every statement is keyed by tenant. */
import type { ChunkingOptions } from "../chunking/chunk-document";

export interface Collection {
  id: string;
  description: string;
  chunking: ChunkingOptions;
  createdAt: number;
  createdBy: string;
}

export type DocumentStatus = "queued" | "indexing" | "ready" | "failed";

export interface DocumentRow {
  id: string;
  collectionId: string;
  contentHash: string;
  title: string;
  metadata: Record<string, string | number | boolean>;
  status: DocumentStatus;
  chunksTotal: number;
  chunksIndexed: number;
  piiEntities: number;
  piiVault: string | null;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

interface CollectionDb {
  id: string;
  description: string;
  chunk_size: number;
  chunk_overlap: number;
  created_at: number;
  created_by: string;
}

const collectionOf = (r: CollectionDb): Collection => ({
  id: r.id,
  description: r.description,
  chunking: { size: r.chunk_size, overlap: r.chunk_overlap },
  createdAt: r.created_at,
  createdBy: r.created_by,
});

export async function insertCollection(db: D1Database, tenantId: string, c: Collection): Promise<boolean> {
  const r = await db
    .prepare("INSERT INTO rag_collections VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
    .bind(tenantId, c.id, c.description, c.chunking.size, c.chunking.overlap, c.createdAt, c.createdBy)
    .run();
  return (r.meta.changes ?? 0) > 0;
}

export async function getCollection(db: D1Database, tenantId: string, id: string): Promise<Collection | null> {
  const r = await db.prepare("SELECT * FROM rag_collections WHERE tenant_id = ? AND id = ?").bind(tenantId, id).first<CollectionDb>();
  return r ? collectionOf(r) : null;
}

export async function listCollections(db: D1Database, tenantId: string, limit: number, after?: string): Promise<Collection[]> {
  const { results } = await db
    .prepare("SELECT * FROM rag_collections WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?")
    .bind(tenantId, after ?? "", limit)
    .all<CollectionDb>();
  return results.map(collectionOf);
}

export async function collectionCounts(db: D1Database, tenantId: string, id: string): Promise<{ documents: number; chunks: number }> {
  const [d, c] = await Promise.all([
    db.prepare("SELECT COUNT(*) AS n FROM rag_documents WHERE tenant_id = ? AND collection_id = ?").bind(tenantId, id).first<{ n: number }>(),
    db.prepare("SELECT COUNT(*) AS n FROM rag_chunks WHERE tenant_id = ? AND collection_id = ?").bind(tenantId, id).first<{ n: number }>(),
  ]);
  return { documents: Number(d?.n ?? 0), chunks: Number(c?.n ?? 0) };
}

interface DocumentDb {
  id: string;
  collection_id: string;
  content_hash: string;
  title: string;
  metadata_json: string;
  status: DocumentStatus;
  chunks_total: number;
  chunks_indexed: number;
  pii_entities: number;
  pii_vault: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

const documentOf = (r: DocumentDb): DocumentRow => ({
  id: r.id,
  collectionId: r.collection_id,
  contentHash: r.content_hash,
  title: r.title,
  metadata: JSON.parse(r.metadata_json) as DocumentRow["metadata"],
  status: r.status,
  chunksTotal: r.chunks_total,
  chunksIndexed: r.chunks_indexed,
  piiEntities: r.pii_entities,
  piiVault: r.pii_vault,
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function getDocument(db: D1Database, tenantId: string, collectionId: string, id: string): Promise<DocumentRow | null> {
  const r = await db
    .prepare("SELECT * FROM rag_documents WHERE tenant_id = ? AND collection_id = ? AND id = ?")
    .bind(tenantId, collectionId, id)
    .first<DocumentDb>();
  return r ? documentOf(r) : null;
}

export async function listDocuments(db: D1Database, tenantId: string, collectionId: string, limit: number, after?: string): Promise<DocumentRow[]> {
  const { results } = await db
    .prepare("SELECT * FROM rag_documents WHERE tenant_id = ? AND collection_id = ? AND id > ? ORDER BY id LIMIT ?")
    .bind(tenantId, collectionId, after ?? "", limit)
    .all<DocumentDb>();
  return results.map(documentOf);
}

/** Replaces the document row (a new version resets its progress). */
export function upsertDocumentStatement(db: D1Database, tenantId: string, d: DocumentRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO rag_documents (tenant_id, collection_id, id, content_hash, title, metadata_json, status, chunks_total, chunks_indexed, pii_entities, pii_vault, error, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, collection_id, id) DO UPDATE SET content_hash = excluded.content_hash, title = excluded.title,
         metadata_json = excluded.metadata_json, status = excluded.status, chunks_total = excluded.chunks_total,
         chunks_indexed = excluded.chunks_indexed, pii_entities = excluded.pii_entities, pii_vault = excluded.pii_vault,
         error = excluded.error, updated_at = excluded.updated_at`,
    )
    .bind(tenantId, d.collectionId, d.id, d.contentHash, d.title, JSON.stringify(d.metadata), d.status, d.chunksTotal, d.chunksIndexed, d.piiEntities, d.piiVault, d.error, d.createdAt, d.updatedAt);
}

/** Progress of a queued document, counted (not incremented) so redelivered batches add nothing. */
export function refreshProgressStatement(db: D1Database, tenantId: string, collectionId: string, id: string, hash: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE rag_documents SET
         chunks_indexed = (SELECT COUNT(*) FROM rag_chunks WHERE tenant_id = ?1 AND collection_id = ?2 AND document_id = ?3 AND content_hash = ?4),
         status = CASE WHEN (SELECT COUNT(*) FROM rag_chunks WHERE tenant_id = ?1 AND collection_id = ?2 AND document_id = ?3 AND content_hash = ?4) >= chunks_total THEN 'ready' ELSE 'indexing' END,
         updated_at = ?5
       WHERE tenant_id = ?1 AND collection_id = ?2 AND id = ?3 AND content_hash = ?4`,
    )
    .bind(tenantId, collectionId, id, hash, now);
}

export function deleteDocumentStatement(db: D1Database, tenantId: string, collectionId: string, id: string): D1PreparedStatement {
  return db.prepare("DELETE FROM rag_documents WHERE tenant_id = ? AND collection_id = ? AND id = ?").bind(tenantId, collectionId, id);
}

export function deleteCollectionStatements(db: D1Database, tenantId: string, id: string): D1PreparedStatement[] {
  return [
    db.prepare("DELETE FROM rag_chunks WHERE tenant_id = ? AND collection_id = ?").bind(tenantId, id),
    db.prepare("DELETE FROM rag_documents WHERE tenant_id = ? AND collection_id = ?").bind(tenantId, id),
    db.prepare("DELETE FROM rag_collections WHERE tenant_id = ? AND id = ?").bind(tenantId, id),
  ];
}

/** Ids of the document's chunks (any version), for stores that delete vectors by id. */
export async function documentChunkIds(db: D1Database, tenantId: string, collectionId: string, id: string): Promise<string[]> {
  const { results } = await db
    .prepare("SELECT chunk_id FROM rag_chunks WHERE tenant_id = ? AND collection_id = ? AND document_id = ?")
    .bind(tenantId, collectionId, id)
    .all<{ chunk_id: string }>();
  return results.map((r) => r.chunk_id);
}

/** Sealed PII vaults of the given documents (those that have one), with the version they seal. */
export async function documentVaults(db: D1Database, tenantId: string, collectionId: string, ids: readonly string[]): Promise<Map<string, { contentHash: string; vault: string }>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const { results } = await db
    .prepare(`SELECT id, content_hash, pii_vault FROM rag_documents WHERE tenant_id = ? AND collection_id = ? AND pii_vault IS NOT NULL AND id IN (${unique.map(() => "?").join(",")})`)
    .bind(tenantId, collectionId, ...unique)
    .all<{ id: string; content_hash: string; pii_vault: string }>();
  return new Map(results.map((r) => [r.id, { contentHash: r.content_hash, vault: r.pii_vault }]));
}
