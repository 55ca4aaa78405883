/** Wire schemas of /v1/prompts and of the chat request's `prompt` field (docs/prompts.md). */
import { z } from "zod";
import { CursorTextSchema, PageLimitSchema } from "../http/page";
import { MAX_TEMPLATE_MESSAGES, MAX_VARIABLES, TemplateMessageSchema, VariableSchema } from "./template";

export const PromptIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "prompt ids are letters, digits and . _ - (at most 64, starting with a letter or digit)");
export const LabelSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, "labels are lowercase letters, digits, _ and - (at most 32, starting with a letter)");
export const VersionSchema = z.coerce.number().int().min(1).max(1_000_000);
/** Same token as a request's feature (chat/feature.ts). */
export const FeatureSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, "features are letters, digits and . _ : - (at most 128)");

const VersionBodySchema = z.object({
  messages: z.array(TemplateMessageSchema).min(1).max(MAX_TEMPLATE_MESSAGES),
  variables: z.array(VariableSchema).max(MAX_VARIABLES).default([]),
  note: z.string().max(1_000).default(""),
  /** Labels to point at the new version in the same write (e.g. ["staging"]). */
  labels: z.array(LabelSchema).max(16).default([]),
});

export const CreateVersionSchema = VersionBodySchema.strict();
export type CreateVersionInput = z.output<typeof CreateVersionSchema>;

export const CreatePromptSchema = VersionBodySchema.extend({
  id: PromptIdSchema,
  description: z.string().max(1_000).default(""),
  /** Ties the prompt to one feature: only keys allowed it see or use the prompt. */
  feature: FeatureSchema.nullable().default(null),
}).strict();
export type CreatePromptInput = z.output<typeof CreatePromptSchema>;

export const MoveLabelSchema = z.object({ version: VersionSchema }).strict();

export const PromptParamsSchema = z.object({ id: PromptIdSchema });
export const VersionParamsSchema = z.object({ id: PromptIdSchema, version: VersionSchema });
export const LabelParamsSchema = z.object({ id: PromptIdSchema, label: LabelSchema });

export const ListPromptsQuerySchema = z
  .object({ limit: PageLimitSchema, cursor: CursorTextSchema.optional(), feature: FeatureSchema.optional() })
  .strict();
export type ListPromptsQuery = z.output<typeof ListPromptsQuerySchema>;

export const ListVersionsQuerySchema = z.object({ limit: PageLimitSchema, cursor: CursorTextSchema.optional() }).strict();
export type ListVersionsQuery = z.output<typeof ListVersionsQuerySchema>;

const VariableValuesSchema = z.record(z.string().max(64), z.union([z.string(), z.number(), z.boolean()])).default({});

/**
 * The chat request's `"prompt": {"id", "version" | "label", "variables"}`; neither version nor
 * label means the `production` label.
 */
export const PromptReferenceSchema = z
  .object({
    id: PromptIdSchema,
    version: z.number().int().min(1).max(1_000_000).optional(),
    label: LabelSchema.optional(),
    variables: VariableValuesSchema,
  })
  .strict()
  .refine((p) => p.version === undefined || p.label === undefined, { message: "send a version or a label, not both", path: ["label"] });
export type PromptReference = z.output<typeof PromptReferenceSchema>;

/** POST /v1/prompts/:id/render: what a chat request would send, without calling a model. */
export const RenderBodySchema = z
  .object({ version: z.number().int().min(1).max(1_000_000).optional(), label: LabelSchema.optional(), variables: VariableValuesSchema })
  .strict()
  .refine((p) => p.version === undefined || p.label === undefined, { message: "send a version or a label, not both", path: ["label"] });
