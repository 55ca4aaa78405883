/**
 * Collection and document operations behind /v1/collections (routes/collections.ts): the
 * tenant always comes from the caller's key. Deleting removes every chunk from every index:
 * vectors first (so a retried delete can still find the rows it needs), then the D1 rows,
 * whose triggers remove the FTS5 entries.
 */
import { GatewayError } from "../../../../shared/errors";
import type { AuthContext } from "../app-env";
import type { z } from "zod";
import { DEFAULT_CHUNKING } from "./chunking/chunk-document";
import {
  collectionCounts,
  deleteCollectionStatements,
  deleteDocumentStatement,
  documentChunkIds,
  getCollection,
  getDocument,
  insertCollection,
  listDocuments,
  type Collection,
  type DocumentRow,
} from "./store/collections-repo";
import { deleteDocumentChunksStatement } from "./store/chunks-repo";
import type { RagDeps } from "./rag-deps";
import type { CreateCollectionSchema } from "./schemas";

export function collectionView(c: Collection, counts?: { documents: number; chunks: number }) {
  return {
    id: c.id,
    object: "collection",
    description: c.description,
    chunking: c.chunking,
    created_at: Math.floor(c.createdAt / 1000),
    ...(counts ? { document_count: counts.documents, chunk_count: counts.chunks } : {}),
  };
}

export function documentView(d: DocumentRow) {
  return {
    id: d.id,
    object: "collection.document",
    collection: d.collectionId,
    title: d.title,
    metadata: d.metadata,
    content_hash: d.contentHash,
    status: d.status,
    progress: { chunks_indexed: d.chunksIndexed, chunks_total: d.chunksTotal },
    pii_entities: d.piiEntities,
    ...(d.error ? { error: d.error } : {}),
    updated_at: Math.floor(d.updatedAt / 1000),
  };
}

export async function createCollection(db: D1Database, caller: AuthContext, body: z.output<typeof CreateCollectionSchema>): Promise<Collection> {
  const c: Collection = { id: body.id, description: body.description, chunking: body.chunking ?? DEFAULT_CHUNKING, createdAt: Date.now(), createdBy: caller.keyId };
  if (!(await insertCollection(db, caller.tenantId, c))) {
    throw new GatewayError("conflict", `A collection named '${body.id}' already exists.`, { param: "id", code: "collection_exists" });
  }
  return c;
}

export async function requireCollection(db: D1Database, tenantId: string, id: string): Promise<Collection> {
  const c = await getCollection(db, tenantId, id);
  // Another tenant's collection is the same 404 as a missing one.
  if (!c) throw new GatewayError("not_found", `No collection '${id}'.`, { param: "id", code: "collection_not_found" });
  return c;
}

export async function describeCollection(db: D1Database, tenantId: string, id: string) {
  const c = await requireCollection(db, tenantId, id);
  return collectionView(c, await collectionCounts(db, tenantId, id));
}

export async function removeDocument(deps: RagDeps, tenantId: string, collectionId: string, id: string): Promise<void> {
  await requireCollection(deps.db, tenantId, collectionId);
  const doc = await getDocument(deps.db, tenantId, collectionId, id);
  if (!doc) throw new GatewayError("not_found", `No document '${id}' in collection '${collectionId}'.`, { param: "doc", code: "document_not_found" });
  const scope = { tenantId, collectionId };
  await deps.dense.deleteDocument(scope, id, await documentChunkIds(deps.db, tenantId, collectionId, id));
  await deps.db.batch([deleteDocumentChunksStatement(deps.db, scope, id), deleteDocumentStatement(deps.db, tenantId, collectionId, id)]);
}

/** Vector deletions a collection delete runs at once. */
const DELETE_CONCURRENCY = 8;

export async function removeCollection(deps: RagDeps, tenantId: string, id: string): Promise<{ documents: number }> {
  await requireCollection(deps.db, tenantId, id);
  const scope = { tenantId, collectionId: id };
  let removed = 0;
  let after: string | undefined;
  for (;;) {
    const page = await listDocuments(deps.db, tenantId, id, 200, after);
    if (page.length === 0) break;
    for (let i = 0; i < page.length; i += DELETE_CONCURRENCY) {
      await Promise.all(
        page.slice(i, i + DELETE_CONCURRENCY).map(async (d) => deps.dense.deleteDocument(scope, d.id, await documentChunkIds(deps.db, tenantId, id, d.id))),
      );
    }
    removed += page.length;
    after = page[page.length - 1]?.id;
  }
  await deps.db.batch(deleteCollectionStatements(deps.db, tenantId, id));
  return { documents: removed };
}
