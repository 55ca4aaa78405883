/**
 * The Worker-side entries: artifacts bundled by wrangler's Data rule, decoded once per isolate.
 * The semantic cache uses the distilled embedder (usedistil-int8.bin, scripts/cache/
 * build-distilled-embedder.ts); the RAG reranker keeps the GloVe one it was measured with.
 */
import distilled from "./usedistil-int8.bin";
import glove from "./glove-sif-int8.bin";
import { LocalEmbedder } from "./local-embedder";

let cache: LocalEmbedder | undefined;
let rag: LocalEmbedder | undefined;

/** The semantic cache's local embedder (id SHIPPED_EMBEDDER_ID). */
export function shippedCacheEmbedder(): LocalEmbedder {
  cache ??= new LocalEmbedder(distilled);
  return cache;
}

/** The GloVe embedder, used by the RAG reranker. */
export function shippedLocalEmbedder(): LocalEmbedder {
  rag ??= new LocalEmbedder(glove);
  return rag;
}
