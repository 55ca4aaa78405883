/**
 * Which model `"model": "auto"` embeds with for a key: the registry's `embeddingModel` when the
 * key may use it, else the first embeddings-capable model the key may use (registry order).
 * Embeddings from different models are not interchangeable, so this is a fixed choice per
 * registry and key, never a routing decision.
 */
import type { AuthContext } from "../app-env";
import { mayUse } from "../chat/resolve-target";
import type { ModelEntry, ModelRegistry } from "./model-registry";

export function defaultEmbeddingModel(registry: ModelRegistry, auth: AuthContext): ModelEntry | undefined {
  const usable = (m: ModelEntry) => m.capabilities.embeddings && mayUse(auth, m);
  if (registry.embeddingModel && usable(registry.embeddingModel)) return registry.embeddingModel;
  return registry.models.find(usable);
}
