/**
 * The RAG pieces built from the Worker's bindings: D1, the vector store the semantic cache uses
 * (Vectorize in production, the local Durable Object index otherwise), the embedder
 * (createEmbedder: Workers AI BGE or the shipped local one), the reranker (Workers AI's bge
 * reranker when the AI binding exists and RAG_RERANKER is not "local"; the reranker trained
 * here otherwise, and as its fallback), the ingest queue and the content keyring.
 */
import { keyringFromEnv, type Keyring } from "../../../../shared/crypto/envelope";
import type { Bindings } from "../app-env";
import { createEmbedder } from "../cache/embedder/create-embedder";
import { shippedLocalEmbedder } from "../cache/embedder/local/shipped-embedder";
import { createLocalVectorStore } from "../cache/vector-store/local/local-vector-store";
import { createVectorizeStore } from "../cache/vector-store/vectorize/vectorize-store";
import type { RagQueue } from "./ingest/queue-messages";
import { createLocalReranker } from "./rerank/local-reranker";
import type { Reranker } from "./rerank/reranker";
import { createWorkersAiReranker } from "./rerank/workers-ai-reranker";
import { createDenseIndex, type DenseIndex } from "./store/dense-index";
import type { Embedder } from "../cache/embedder/embedder";

export interface RagEnv {
  DB: D1Database;
  AI?: Ai;
  VECTORIZE?: VectorizeIndex;
  VECTOR_INDEX?: unknown;
  VECTOR_STORE?: string;
  CACHE_EMBEDDER?: string;
  RAG_RERANKER?: string;
  RAG_QUEUE?: unknown;
  CONTENT_ENCRYPTION_KEYS?: string;
  CONTENT_ENCRYPTION_ACTIVE_KID?: string;
}

export interface RagDeps {
  db: D1Database;
  dense: DenseIndex;
  embedder: Embedder;
  reranker: Reranker;
  queue: RagQueue | null;
  keyring(): Promise<Keyring | null>;
}

export function ragDeps(env: RagEnv | Bindings): RagDeps {
  const e = env as RagEnv;
  const embedder = createEmbedder(e);
  const vectorize = e.VECTOR_STORE === "vectorize" && e.VECTORIZE ? e.VECTORIZE : null;
  const store = vectorize ? createVectorizeStore(vectorize) : createLocalVectorStore(e.VECTOR_INDEX as DurableObjectNamespace);
  const local = createLocalReranker(shippedLocalEmbedder());
  const ai = e.AI;
  const reranker =
    ai && e.RAG_RERANKER !== "local" ? createWorkersAiReranker((model, input) => ai.run(model as never, input as never) as Promise<unknown>, local) : local;
  return {
    db: e.DB,
    dense: createDenseIndex(store, embedder.id, vectorize ?? undefined),
    embedder,
    reranker,
    queue: (e.RAG_QUEUE as RagQueue | undefined) ?? null,
    keyring: async () => (e.CONTENT_ENCRYPTION_KEYS ? keyringFromEnv(e).catch(() => null) : null),
  };
}
