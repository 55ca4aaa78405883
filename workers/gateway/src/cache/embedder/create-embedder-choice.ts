/** Parses the CACHE_EMBEDDER var (pure, so Node tests need not load the artifact). */
import type { WorkersAiModel } from "./workers-ai/workers-ai-embedder";

export function embedderChoice(value: string | undefined): { kind: "local" } | { kind: "workers-ai"; model: WorkersAiModel } {
  if (value === "workers-ai" || value === "workers-ai:bge-base") return { kind: "workers-ai", model: "@cf/baai/bge-base-en-v1.5" };
  if (value === "workers-ai:bge-m3") return { kind: "workers-ai", model: "@cf/baai/bge-m3" };
  return { kind: "local" };
}
