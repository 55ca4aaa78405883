/**
 * A document as it will be stored: content hash (the idempotency key together with the id),
 * chunks with ids derived from tenant, collection, document, hash and position. Same input,
 * same ids; any change to text, title, metadata or chunking gives new ids.
 */
import { sha256Hex } from "../../../../../shared/crypto/sha256";
import { chunkDocument, type ChunkingOptions } from "../chunking/chunk-document";
import type { ChunkRecord } from "../store/chunks-repo";
import type { CollectionScope } from "../store/scope";

export interface DocumentInput {
  id: string;
  title: string;
  text: string;
  metadata: Record<string, string | number | boolean>;
}

export interface PreparedDocument {
  contentHash: string;
  chunks: ChunkRecord[];
}

export async function contentHash(doc: DocumentInput, chunking: ChunkingOptions): Promise<string> {
  const metadata = Object.fromEntries(Object.entries(doc.metadata).sort(([a], [b]) => (a < b ? -1 : 1)));
  return sha256Hex(JSON.stringify({ title: doc.title, text: doc.text, metadata, size: chunking.size, overlap: chunking.overlap }));
}

export async function chunkIdPrefix(scope: CollectionScope, documentId: string, hash: string): Promise<string> {
  return `ch_${(await sha256Hex(`${scope.tenantId}\u0000${scope.collectionId}\u0000${documentId}\u0000${hash}`)).slice(0, 20)}`;
}

/** `text` is what gets stored: callers pass the redacted text (ingest-document.ts). */
export async function prepareDocument(scope: CollectionScope, doc: DocumentInput, chunking: ChunkingOptions, hash?: string): Promise<PreparedDocument> {
  const h = hash ?? (await contentHash(doc, chunking));
  const prefix = await chunkIdPrefix(scope, doc.id, h);
  const chunks = chunkDocument(doc.text, doc.title, chunking).map((c) => ({
    chunkId: `${prefix}_${c.seq}`,
    documentId: doc.id,
    contentHash: h,
    seq: c.seq,
    heading: c.heading,
    text: c.text,
    metadata: doc.metadata,
  }));
  return { contentHash: h, chunks };
}
