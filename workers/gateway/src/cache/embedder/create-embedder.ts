/**
 * Picks the embedder: the shipped local one unless the AI binding exists AND the
 * CACHE_EMBEDDER var asks for Workers AI ("workers-ai" = BGE base, "workers-ai:bge-m3").
 * Switching embedders changes the id, which is part of every vector namespace, so vectors of
 * different models are never compared.
 */
import type { Embedder } from "./embedder";
import { shippedLocalEmbedder } from "./local/shipped-embedder";
import { embedderChoice } from "./create-embedder-choice";
import { WorkersAiEmbedder } from "./workers-ai/workers-ai-embedder";

export interface EmbedderEnv {
  AI?: Ai;
  CACHE_EMBEDDER?: string;
}

export function createEmbedder(env: EmbedderEnv): Embedder {
  const choice = embedderChoice(env.CACHE_EMBEDDER);
  const ai = env.AI;
  if (choice.kind === "workers-ai" && ai) {
    return new WorkersAiEmbedder({ run: (model, input) => ai.run(model as never, input as never) as Promise<unknown> }, choice.model);
  }
  return shippedLocalEmbedder();
}
