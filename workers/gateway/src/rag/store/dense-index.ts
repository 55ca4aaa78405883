/**
 * A collection's chunk vectors in the gateway's vector store (the semantic cache's
 * `VectorStore`: the local Durable Object index, or Vectorize in production). RAG rows are
 * filed under the store tenant `rag:<tenant>`, so they sit in their own per-tenant object and
 * a cache purge of the tenant (`DELETE /v1/cache`) never touches them; each document's rows
 * carry the feature `rag:<collection>:<document>`, which is what deleting a document purges.
 */
import type { VectorStore } from "../../cache/vector-store/vector-store";
import { sha256Hex } from "../../../../../shared/crypto/sha256";
import { denseNamespace, documentFeature, type CollectionScope } from "./scope";

export interface DenseHit {
  chunkId: string;
  score: number;
}

export interface DenseIndex {
  readonly embedderId: string;
  search(scope: CollectionScope, vector: Float32Array, topK: number): Promise<DenseHit[]>;
  upsert(scope: CollectionScope, documentId: string, rows: ReadonlyArray<{ chunkId: string; vector: Float32Array }>): Promise<void>;
  /** Removes every vector of the document (`chunkIds`: its known chunk ids, for stores that delete by id). */
  deleteDocument(scope: CollectionScope, documentId: string, chunkIds: readonly string[]): Promise<void>;
}

export const storeTenant = (tenantId: string): string => `rag:${tenantId}`;

/** Vectorize deletes by id only: the ids its store wrote (SHA-256 hex of ours). */
export interface DeleteByIds {
  deleteByIds(ids: string[]): Promise<unknown>;
}

export function createDenseIndex(store: VectorStore, embedderId: string, byIds?: DeleteByIds): DenseIndex {
  return {
    embedderId,
    async search(scope, vector, topK) {
      const tenantId = storeTenant(scope.tenantId);
      const matches = await store.query(vector, { topK, namespace: denseNamespace(scope, embedderId), tenantId });
      return matches.filter((m) => m.metadata.tenantId === tenantId && m.metadata.fingerprint === scope.collectionId).map((m) => ({ chunkId: m.metadata.entryKey, score: m.score }));
    },
    async upsert(scope, documentId, rows) {
      const tenantId = storeTenant(scope.tenantId);
      const namespace = denseNamespace(scope, embedderId);
      const feature = documentFeature(scope.collectionId, documentId);
      await store.upsert(
        rows.map((r) => ({ id: r.chunkId, namespace, vector: r.vector, metadata: { tenantId, feature, fingerprint: scope.collectionId, entryKey: r.chunkId } })),
      );
    },
    async deleteDocument(scope, documentId, chunkIds) {
      await store.purge({ tenantId: storeTenant(scope.tenantId), feature: documentFeature(scope.collectionId, documentId) });
      if (byIds && chunkIds.length) {
        const ids = await Promise.all(chunkIds.map(async (id) => (await sha256Hex(id)).slice(0, 64)));
        for (let i = 0; i < ids.length; i += 1000) await byIds.deleteByIds(ids.slice(i, i + 1000));
      }
    },
  };
}
