/**
 * SciFact ingested with the gateway's own code (chunking, chunk rows + FTS5 through the
 * migrations, dense vectors through the DenseIndex over the VectorStore interface), in Node:
 * node:sqlite for D1 and the FlatIndex scan for the local vector index.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LocalEmbedder } from "../../workers/gateway/src/cache/embedder/local/local-embedder";
import type { ChunkingOptions } from "../../workers/gateway/src/rag/chunking/chunk-document";
import { indexChunks } from "../../workers/gateway/src/rag/ingest/index-chunks";
import { prepareDocument } from "../../workers/gateway/src/rag/ingest/prepare";
import { createDenseIndex, type DenseIndex } from "../../workers/gateway/src/rag/store/dense-index";
import type { CollectionScope } from "../../workers/gateway/src/rag/store/scope";
import type { Abstract } from "./scifact";
import { MemoryVectorStore } from "../../workers/gateway/src/cache/testing/memory-vector-store";
import { createTestDb } from "../../workers/gateway/src/auth/testing/sqlite-d1";

export const EMBEDDER_ARTIFACT = join(import.meta.dirname, "../../workers/gateway/src/cache/embedder/local/glove-sif-int8.bin");

export function localEmbedder(weighting: "uniform" | "sif" = "uniform"): LocalEmbedder {
  return new LocalEmbedder(readFileSync(EMBEDDER_ARTIFACT), { weighting });
}

export interface BuiltIndex {
  db: D1Database;
  dense: DenseIndex;
  embedder: LocalEmbedder;
  scope: CollectionScope;
  chunks: number;
  ingestMs: number;
}

export async function buildIndex(docs: readonly Abstract[], chunking: ChunkingOptions, embedder: LocalEmbedder, scope: CollectionScope = { tenantId: "ten_bench", collectionId: "scifact" }): Promise<BuiltIndex> {
  // The unit tests' D1 over node:sqlite (which ships FTS5), every migration applied.
  const { db } = createTestDb();
  const dense = createDenseIndex(new MemoryVectorStore(), embedder.id);
  const t0 = performance.now();
  let chunks = 0;
  for (const d of docs) {
    const prepared = await prepareDocument(scope, { id: d.id, title: d.title, text: d.text, metadata: {} }, chunking);
    await indexChunks({ db, dense, embedder }, scope, d.id, prepared.chunks);
    chunks += prepared.chunks.length;
  }
  return { db, dense, embedder, scope, chunks, ingestMs: performance.now() - t0 };
}

/** Chunk ranking -> document ranking (a document ranks where its best chunk does). */
export function documentRanking(chunkDocIds: readonly string[]): string[] {
  return [...new Set(chunkDocIds)];
}
