/** Where a collection's rows live: every query is keyed by (tenant, collection). */
import { bytesToHex, sha256Sync } from "../../../../../shared/crypto/sha256";

export interface CollectionScope {
  tenantId: string;
  collectionId: string;
}

/**
 * The FTS5 token every chunk of one collection carries in its `scope` column: letters and
 * digits only (one token for unicode61), hashed so neither id leaks into the index's vocabulary.
 */
export function scopeToken(scope: CollectionScope): string {
  const h = bytesToHex(sha256Sync(`${scope.tenantId}\u0000${scope.collectionId}`));
  return `rag${h.slice(0, 24)}`;
}

/** The vector namespace of a collection's chunks for one embedder. */
export function denseNamespace(scope: CollectionScope, embedderId: string): string {
  return `rag/${scope.tenantId}/${scope.collectionId}/${embedderId}`;
}

/** The vector-store `feature` of one document's chunks: purging it removes just that document. */
export function documentFeature(collectionId: string, documentId: string): string {
  return `rag:${collectionId}:${documentId}`;
}
