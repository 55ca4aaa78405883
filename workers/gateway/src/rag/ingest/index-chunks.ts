/**
 * Writes chunks to both indexes: D1 rows (and so FTS5, by trigger) in one batch, then their
 * vectors. Idempotent: rows are inserted ON CONFLICT DO NOTHING and vectors upserted by chunk
 * id, so a redelivered queue message or a retried request adds nothing twice.
 */
import type { Embedder } from "../../cache/embedder/embedder";
import { insertChunkStatements, type ChunkRecord } from "../store/chunks-repo";
import type { DenseIndex } from "../store/dense-index";
import type { CollectionScope } from "../store/scope";

export interface IndexDeps {
  db: D1Database;
  dense: DenseIndex;
  embedder: Embedder;
}

/** Texts per embedder call (Workers AI takes up to 100). */
const EMBED_BATCH = 64;

export const denseText = (c: Pick<ChunkRecord, "heading" | "text">): string => (c.heading ? `${c.heading}\n${c.text}` : c.text);

export async function embedChunks(embedder: Embedder, chunks: readonly ChunkRecord[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < chunks.length; i += EMBED_BATCH) out.push(...(await embedder.embed(chunks.slice(i, i + EMBED_BATCH).map(denseText))));
  return out;
}

export async function indexChunks(deps: IndexDeps, scope: CollectionScope, documentId: string, chunks: readonly ChunkRecord[], extra: D1PreparedStatement[] = []): Promise<void> {
  // Embed first: a failure here leaves nothing half-written.
  const vectors = await embedChunks(deps.embedder, chunks);
  await deps.db.batch([...insertChunkStatements(deps.db, scope, chunks), ...extra]);
  await deps.dense.upsert(scope, documentId, chunks.map((c, i) => ({ chunkId: c.chunkId, vector: vectors[i] as Float32Array })));
}
