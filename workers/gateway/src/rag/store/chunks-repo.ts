/**
 * Chunk rows in D1 and the FTS5 index over them (migration 0059). The FTS table is an
 * external-content index kept in step by triggers, so inserting or deleting a chunk row is the
 * whole write; every read is keyed by tenant and collection.
 */
import { filtersSql, type MetadataFilters } from "./filters";
import { scopeToken, type CollectionScope } from "./scope";
import { isStopword, words } from "../text/terms";

export interface ChunkRecord {
  chunkId: string;
  documentId: string;
  contentHash: string;
  seq: number;
  heading: string;
  text: string;
  metadata: Record<string, unknown>;
}

export interface LexicalHit {
  chunkId: string;
  /** FTS5 BM25 (sign flipped: higher is better). */
  score: number;
}

/** Terms of a query, at most this many (longest first: rarer, and a bounded OR). */
const MAX_QUERY_TERMS = 32;
/** Rows a statement may insert at once: 9 bound values each, under D1's 100-parameter limit. */
const INSERT_ROWS = 10;

export function ftsQuery(scope: CollectionScope, text: string): string | null {
  const distinct = [...new Set(words(text).filter((w) => !isStopword(w)))];
  if (distinct.length === 0) return null;
  const kept = distinct.length > MAX_QUERY_TERMS ? [...distinct].sort((a, b) => b.length - a.length).slice(0, MAX_QUERY_TERMS) : distinct;
  // Each word quoted: FTS5 syntax in user text (NEAR, *, ^, column:) is never interpreted.
  return `scope : ${scopeToken(scope)} AND (${kept.map((w) => `"${w}"`).join(" OR ")})`;
}

export async function lexicalSearch(
  db: D1Database,
  scope: CollectionScope,
  text: string,
  limit: number,
  filters?: MetadataFilters,
): Promise<LexicalHit[]> {
  const match = ftsQuery(scope, text);
  if (!match) return [];
  const f = filtersSql(filters, "c.metadata_json");
  // FTS5 computes BM25 and keeps the best `inner` rows itself (ORDER BY rank LIMIT inside the
  // virtual table); joining first would score every matching row. Metadata filters apply after,
  // so with filters the inner depth is larger.
  const inner = f.params.length ? Math.min(limit * 10, 1000) : limit;
  const { results } = await db
    .prepare(
      `SELECT c.chunk_id AS chunkId, -f.rank AS score
       FROM (SELECT rowid, rank FROM rag_chunks_fts WHERE rag_chunks_fts MATCH ? AND rank MATCH 'bm25(0.0, 1.0, 1.0)' ORDER BY rank LIMIT ?) f
       CROSS JOIN rag_chunks c ON c.rowid = f.rowid
       WHERE c.tenant_id = ? AND c.collection_id = ? AND ${f.sql}
       ORDER BY score DESC LIMIT ?`,
    )
    .bind(match, inner, scope.tenantId, scope.collectionId, ...f.params, limit)
    .all<LexicalHit>();
  return results;
}

interface ChunkDbRow {
  chunk_id: string;
  document_id: string;
  content_hash: string;
  seq: number;
  heading: string;
  text: string;
  metadata_json: string;
}

const toRecord = (r: ChunkDbRow): ChunkRecord => ({
  chunkId: r.chunk_id,
  documentId: r.document_id,
  contentHash: r.content_hash,
  seq: r.seq,
  heading: r.heading,
  text: r.text,
  metadata: JSON.parse(r.metadata_json) as Record<string, unknown>,
});

/** The chunks of this collection among `ids` (others' ids, stale or deleted ones are absent). */
export async function chunksByIds(db: D1Database, scope: CollectionScope, ids: readonly string[], filters?: MetadataFilters): Promise<ChunkRecord[]> {
  const out: ChunkRecord[] = [];
  const f = filtersSql(filters, "metadata_json");
  const per = Math.max(1, 90 - f.params.length);
  for (let i = 0; i < ids.length; i += per) {
    const part = ids.slice(i, i + per);
    const { results } = await db
      .prepare(
        `SELECT chunk_id, document_id, content_hash, seq, heading, text, metadata_json FROM rag_chunks
         WHERE chunk_id IN (${part.map(() => "?").join(", ")}) AND +tenant_id = ? AND +collection_id = ? AND ${f.sql}`,
      )
      // Unary + keeps SQLite on the chunk_id index (the collection index would scan every chunk).
      .bind(...part, scope.tenantId, scope.collectionId, ...f.params)
      .all<ChunkDbRow>();
    out.push(...results.map(toRecord));
  }
  return out;
}

export function insertChunkStatements(db: D1Database, scope: CollectionScope, chunks: readonly ChunkRecord[]): D1PreparedStatement[] {
  const token = scopeToken(scope);
  const out: D1PreparedStatement[] = [];
  for (let i = 0; i < chunks.length; i += INSERT_ROWS) {
    const part = chunks.slice(i, i + INSERT_ROWS);
    // ON CONFLICT DO NOTHING, not REPLACE: a chunk id names its content, and REPLACE's implicit
    // delete would not fire the FTS delete trigger.
    out.push(
      db
        .prepare(
          `INSERT INTO rag_chunks (chunk_id, tenant_id, collection_id, document_id, content_hash, seq, scope, heading, text, metadata_json)
           VALUES ${part.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")} ON CONFLICT (chunk_id) DO NOTHING`,
        )
        .bind(
          ...part.flatMap((c) => [c.chunkId, scope.tenantId, scope.collectionId, c.documentId, c.contentHash, c.seq, token, c.heading, c.text, JSON.stringify(c.metadata)]),
        ),
    );
  }
  return out;
}

export function deleteDocumentChunksStatement(db: D1Database, scope: CollectionScope, documentId: string, keepHash?: string): D1PreparedStatement {
  return keepHash === undefined
    ? db.prepare("DELETE FROM rag_chunks WHERE tenant_id = ? AND collection_id = ? AND document_id = ?").bind(scope.tenantId, scope.collectionId, documentId)
    : db
        .prepare("DELETE FROM rag_chunks WHERE tenant_id = ? AND collection_id = ? AND document_id = ? AND content_hash != ?")
        .bind(scope.tenantId, scope.collectionId, documentId, keepHash);
}

export async function countChunks(db: D1Database, scope: CollectionScope, documentId?: string, contentHash?: string): Promise<number> {
  const row =
    documentId === undefined
      ? await db.prepare("SELECT COUNT(*) AS n FROM rag_chunks WHERE tenant_id = ? AND collection_id = ?").bind(scope.tenantId, scope.collectionId).first<{ n: number }>()
      : await db
          .prepare("SELECT COUNT(*) AS n FROM rag_chunks WHERE tenant_id = ? AND collection_id = ? AND document_id = ? AND content_hash = ?")
          .bind(scope.tenantId, scope.collectionId, documentId, contentHash ?? "")
          .first<{ n: number }>();
  return Number(row?.n ?? 0);
}

/**
 * Document frequency of each stemmed term across the chunk index (fts5vocab). The index is
 * shared by all collections, so these are global statistics; they only weight features.
 */
export async function documentFrequencies(db: D1Database, stems: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const distinct = [...new Set(stems)].slice(0, 90);
  if (distinct.length === 0) return out;
  const { results } = await db
    .prepare(`SELECT term, doc FROM rag_chunks_terms WHERE term IN (${distinct.map(() => "?").join(", ")})`)
    .bind(...distinct)
    .all<{ term: string; doc: number }>();
  for (const r of results) out.set(r.term, Math.max(out.get(r.term) ?? 0, Number(r.doc)));
  return out;
}
