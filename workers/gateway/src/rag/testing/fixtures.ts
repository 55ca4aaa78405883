/**
 * Test scaffolding for rag/: our own small documents (no rows of any shared data set), an
 * in-process index (node:sqlite D1 with every migration, the in-memory vector store, the
 * shipped local embedder and reranker).
 */
import { createTestDb } from "../../auth/testing/sqlite-d1";
import { MemoryVectorStore } from "../../cache/testing/memory-vector-store";
import { LocalEmbedder } from "../../cache/embedder/local/local-embedder";
import { tenantPiiHashKey } from "../../guardrails/redact/hash-key";
import { DEFAULT_GUARDRAIL_SETTINGS } from "../../guardrails/settings";
import { ingestDocument } from "../ingest/ingest-document";
import type { DocumentInput } from "../ingest/prepare";
import { createLocalReranker } from "../rerank/local-reranker";
import type { SearchDeps } from "../retrieve/search";
import { createDenseIndex } from "../store/dense-index";
import type { CollectionScope } from "../store/scope";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const DOCS: DocumentInput[] = [
  { id: "tea", title: "Brewing green tea", text: "Green tea tastes bitter when the water is too hot. Brew it at 80 degrees for two minutes, then remove the leaves.", metadata: { topic: "kitchen", year: 2021 } },
  { id: "bike", title: "Fixing a flat tyre", text: "To fix a flat bicycle tyre, remove the wheel, find the puncture with soapy water and glue a patch over the hole.", metadata: { topic: "repair", year: 2022 } },
  { id: "volcano", title: "Why volcanoes erupt", text: "Magma rises because it is lighter than the surrounding rock. Gas pressure builds until the volcano erupts.", metadata: { topic: "science", year: 2020 } },
  { id: "bread", title: "Sourdough starter", text: "A sourdough starter is flour and water fermented by wild yeast. Feed it every day and keep it warm.", metadata: { topic: "kitchen", year: 2023 } },
  { id: "garden", title: "Watering tomatoes", text: "Tomato plants need deep watering twice a week. Water the soil, not the leaves, to avoid fungal disease.", metadata: { topic: "garden", year: 2021 } },
];

export function testEmbedder(): LocalEmbedder {
  return new LocalEmbedder(readFileSync(join(import.meta.dirname, "../../cache/embedder/local/glove-sif-int8.bin")));
}

export async function ragFixture() {
  const { db, raw } = createTestDb();
  const embedder = testEmbedder();
  const vectors = new MemoryVectorStore();
  const dense = createDenseIndex(vectors, embedder.id);
  const deps: SearchDeps = { db, dense, embedder, reranker: createLocalReranker(embedder) };
  const ctx = { db, dense, embedder, queue: null, keyring: null, guardrails: DEFAULT_GUARDRAIL_SETTINGS, hashKey: tenantPiiHashKey("rag-fixture-pii-hash-key-0123456789abcdef", "ten_rag"), now: 1_700_000_000_000 };
  const ingest = (scope: CollectionScope, docs: readonly DocumentInput[], chunking = { size: 1000, overlap: 150 }) =>
    Promise.all(docs.map((d) => ingestDocument(ctx, scope, chunking, d, false)));
  return { db, raw, deps, ctx, vectors, ingest, embedder };
}
