/**
 * The chat request's `retrieval` field (docs/rag.md): `{ collection, top_k, filters, rerank }`.
 * Taken off the request before anything else sees it: it is the gateway's instruction, never
 * forwarded upstream, and a malformed one is a 400 naming the field.
 */
import { z } from "zod";
import type { ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { parseWith } from "../../http/read-json-body";
import { MetadataFiltersSchema } from "../store/filters";

export const RetrievalSpecSchema = z
  .object({
    collection: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "a collection id"),
    top_k: z.number().int().min(1).max(20).default(5),
    filters: MetadataFiltersSchema.optional(),
    rerank: z.boolean().default(true),
  })
  .strict();
export type RetrievalSpec = z.output<typeof RetrievalSpecSchema>;

export function takeRetrieval(request: ChatCompletionRequest): { spec: RetrievalSpec | null; request: ChatCompletionRequest } {
  if (!Object.hasOwn(request, "retrieval")) return { spec: null, request };
  const { retrieval, ...rest } = request as ChatCompletionRequest & { retrieval?: unknown };
  if (retrieval === null || retrieval === undefined) return { spec: null, request: rest as ChatCompletionRequest };
  const spec = parseWith(z.object({ retrieval: RetrievalSpecSchema }), { retrieval }).retrieval;
  return { spec, request: rest as ChatCompletionRequest };
}
