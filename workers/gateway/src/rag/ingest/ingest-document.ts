/**
 * Ingesting one document: PII policy first (nothing unredacted is stored, indexed or queued),
 * then idempotency (same id and content hash: nothing to do), then either the whole write now
 * or, for large documents, the document row now and the chunks through the ingest queue in
 * batches whose progress the document row shows. A changed document replaces its previous
 * version in both indexes; its chunk ids change with it.
 */
import type { Keyring } from "../../../../../shared/crypto/envelope";
import type { PiiHashKey } from "../../guardrails/redact/hash-key";
import type { GuardrailSettings } from "../../guardrails/settings";
import type { ChunkingOptions } from "../chunking/chunk-document";
import { deleteDocumentChunksStatement } from "../store/chunks-repo";
import { documentChunkIds, getDocument, upsertDocumentStatement, type DocumentRow } from "../store/collections-repo";
import type { CollectionScope } from "../store/scope";
import { indexChunks, type IndexDeps } from "./index-chunks";
import { contentHash, prepareDocument, type DocumentInput } from "./prepare";
import { redactDocument } from "./redact-document";
import { enqueueChunks, type RagQueue } from "./queue-messages";

export interface IngestContext extends IndexDeps {
  queue: RagQueue | null;
  keyring: Keyring | null;
  guardrails: GuardrailSettings;
  /** The tenant's key for the `hash` action (piiHashKeyFor). */
  hashKey: PiiHashKey;
  now: number;
}

export interface IngestOutcome {
  id: string;
  status: "unchanged" | "ready" | "queued";
  content_hash: string;
  chunks: number;
  pii_entities: number;
}

/** Above this many chunks a document goes through the queue even if not asked to. */
export const SYNC_MAX_CHUNKS = 64;

export async function ingestDocument(ctx: IngestContext, scope: CollectionScope, chunking: ChunkingOptions, doc: DocumentInput, preferAsync: boolean): Promise<IngestOutcome> {
  const redacted = await redactDocument(doc.title, doc.text, ctx.guardrails, ctx.hashKey, ctx.keyring);
  const input: DocumentInput = { ...doc, title: redacted.title, text: redacted.text };
  const hash = await contentHash(input, chunking);
  const existing = await getDocument(ctx.db, scope.tenantId, scope.collectionId, doc.id);
  if (existing && existing.contentHash === hash && existing.status !== "failed") {
    return { id: doc.id, status: "unchanged", content_hash: hash, chunks: existing.chunksTotal, pii_entities: existing.piiEntities };
  }
  const { chunks } = await prepareDocument(scope, input, chunking, hash);
  if (existing) await ctx.dense.deleteDocument(scope, doc.id, await documentChunkIds(ctx.db, scope.tenantId, scope.collectionId, doc.id));

  const row: DocumentRow = {
    id: doc.id,
    collectionId: scope.collectionId,
    contentHash: hash,
    title: redacted.title,
    metadata: doc.metadata,
    status: "indexing",
    chunksTotal: chunks.length,
    chunksIndexed: 0,
    piiEntities: redacted.entities,
    piiVault: redacted.vault,
    error: null,
    createdAt: existing?.createdAt ?? ctx.now,
    updatedAt: ctx.now,
  };
  const replaceOld = deleteDocumentChunksStatement(ctx.db, scope, doc.id, hash);
  const outcome = { id: doc.id, content_hash: hash, chunks: chunks.length, pii_entities: redacted.entities };

  if (ctx.queue && (preferAsync || chunks.length > SYNC_MAX_CHUNKS)) {
    await ctx.db.batch([replaceOld, upsertDocumentStatement(ctx.db, scope.tenantId, { ...row, status: "queued" })]);
    await enqueueChunks(ctx.queue, scope, doc.id, hash, chunks);
    return { ...outcome, status: "queued" };
  }
  await indexChunks(ctx, scope, doc.id, chunks, [replaceOld, upsertDocumentStatement(ctx.db, scope.tenantId, row)]);
  await ctx.db.batch([upsertDocumentStatement(ctx.db, scope.tenantId, { ...row, status: "ready", chunksIndexed: chunks.length, updatedAt: Date.now() })]);
  return { ...outcome, status: "ready" };
}

