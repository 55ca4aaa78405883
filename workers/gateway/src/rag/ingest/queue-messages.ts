/**
 * Ingest-queue messages: one batch of a document version's (already redacted) chunks. Batches
 * stay under ~96 KB of text so each message fits the Queues limit (128 KB) with its envelope.
 */
import { z } from "zod";
import type { ChunkRecord } from "../store/chunks-repo";
import type { CollectionScope } from "../store/scope";

const MAX_MESSAGE_CHARS = 96_000;

const Meta = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export const RagIndexMessageSchema = z.object({
  kind: z.literal("rag.index.v1"),
  tenantId: z.string(),
  collectionId: z.string(),
  documentId: z.string(),
  contentHash: z.string(),
  chunks: z.array(
    z.object({ chunkId: z.string(), documentId: z.string(), contentHash: z.string(), seq: z.number().int(), heading: z.string(), text: z.string(), metadata: Meta }),
  ),
});
export type RagIndexMessage = z.infer<typeof RagIndexMessageSchema>;

export interface RagQueue {
  sendBatch(messages: Iterable<{ body: RagIndexMessage }>): Promise<unknown>;
}

export function chunkBatches(chunks: readonly ChunkRecord[]): ChunkRecord[][] {
  const out: ChunkRecord[][] = [];
  let current: ChunkRecord[] = [];
  let size = 0;
  for (const c of chunks) {
    const n = c.text.length + c.heading.length + JSON.stringify(c.metadata).length + 200;
    if (current.length && size + n > MAX_MESSAGE_CHARS) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(c);
    size += n;
  }
  if (current.length) out.push(current);
  return out;
}

export async function enqueueChunks(queue: RagQueue, scope: CollectionScope, documentId: string, contentHash: string, chunks: readonly ChunkRecord[]): Promise<void> {
  const messages = chunkBatches(chunks).map((batch) => ({
    body: { kind: "rag.index.v1" as const, tenantId: scope.tenantId, collectionId: scope.collectionId, documentId, contentHash, chunks: batch as RagIndexMessage["chunks"] },
  }));
  // sendBatch takes at most 100 messages (and 256 KB) a call.
  for (let i = 0; i < messages.length; i += 2) await queue.sendBatch(messages.slice(i, i + 2));
}
