/**
 * The ingest queue's consumer (in the gateway Worker): each message indexes one batch of a
 * document version's chunks, then recounts the document's progress. A message for a version
 * that was replaced or deleted meanwhile is acknowledged and dropped; a failure is retried
 * (rows and vectors are written idempotently) and, after the last try, marks the document failed.
 */
import { getDocument } from "../store/collections-repo";
import { refreshProgressStatement } from "../store/collections-repo";
import { ragDeps, type RagEnv } from "../rag-deps";
import { indexChunks } from "./index-chunks";
import { RagIndexMessageSchema } from "./queue-messages";

/** Deliveries before a batch is given up on (wrangler.toml max_retries + 1). */
export const MAX_ATTEMPTS = 4;

export async function consumeIndexBatch(batch: MessageBatch<unknown>, env: RagEnv): Promise<void> {
  const deps = ragDeps(env);
  for (const message of batch.messages) {
    const parsed = RagIndexMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      message.ack();
      continue;
    }
    const m = parsed.data;
    const scope = { tenantId: m.tenantId, collectionId: m.collectionId };
    try {
      const doc = await getDocument(deps.db, m.tenantId, m.collectionId, m.documentId);
      if (!doc || doc.contentHash !== m.contentHash) {
        message.ack();
        continue;
      }
      await indexChunks(deps, scope, m.documentId, m.chunks, [refreshProgressStatement(deps.db, m.tenantId, m.collectionId, m.documentId, m.contentHash, Date.now())]);
      message.ack();
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "rag index batch failed", documentId: m.documentId, attempts: message.attempts, error: err instanceof Error ? err.name : "unknown" }));
      if (message.attempts >= MAX_ATTEMPTS) {
        await deps.db
          .prepare("UPDATE rag_documents SET status = 'failed', error = ?, updated_at = ? WHERE tenant_id = ? AND collection_id = ? AND id = ? AND content_hash = ?")
          .bind("indexing failed after retries; ingest the document again", Date.now(), m.tenantId, m.collectionId, m.documentId, m.contentHash)
          .run()
          .catch(() => undefined);
        message.ack();
      } else {
        message.retry();
      }
    }
  }
}
