/** Wire schemas of /v1/collections (zod: the single source of truth, and of /openapi.json). */
import { z } from "zod";
import { MetadataFiltersSchema } from "./store/filters";

const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "ids are 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");

export const ChunkingSchema = z
  .object({
    size: z.number().int().min(200).max(8000).default(1000),
    overlap: z.number().int().min(0).max(2000).default(150),
  })
  .strict()
  .refine((c) => c.overlap * 2 <= c.size, { message: "overlap must be at most half the chunk size", path: ["overlap"] });

export const CreateCollectionSchema = z
  .object({
    id: Id,
    description: z.string().max(1000).default(""),
    chunking: ChunkingSchema.default({ size: 1000, overlap: 150 }),
  })
  .strict();

export const CollectionParamsSchema = z.object({ id: Id });
export const DocumentParamsSchema = z.object({ id: Id, doc: Id });

/** Characters of one document; larger uploads are split by the caller into documents. */
export const MAX_DOCUMENT_CHARS = 1_000_000;

const MetadataValue = z.union([z.string().max(1000), z.number().finite(), z.boolean()]);
export const DocumentSchema = z
  .object({
    id: Id,
    title: z.string().max(1000).default(""),
    text: z.string().min(1).max(MAX_DOCUMENT_CHARS),
    metadata: z
      .record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "metadata keys are 1-64 letters, digits, _ or -"), MetadataValue)
      .refine((m) => Object.keys(m).length <= 32, "at most 32 metadata fields")
      .default({}),
  })
  .strict();

export const IngestBodySchema = z.union([
  DocumentSchema.extend({ async: z.boolean().optional() }).strict(),
  z.object({ documents: z.array(DocumentSchema).min(1).max(100), async: z.boolean().optional() }).strict(),
]);
export type IngestBody = z.infer<typeof IngestBodySchema>;

export const SearchBodySchema = z
  .object({
    query: z.string().min(1).max(4000),
    top_k: z.number().int().min(1).max(50).default(5),
    filters: MetadataFiltersSchema.optional(),
    rerank: z.boolean().default(true),
    candidates: z.number().int().min(10).max(100).default(50),
    mode: z.enum(["hybrid", "lexical", "dense"]).default("hybrid"),
  })
  .strict();

export const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: Id.optional(),
});
