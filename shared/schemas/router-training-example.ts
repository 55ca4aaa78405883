/**
 * One labelled example for the router trainer (`npm run router:train`). Two sources share it:
 * the corpus shipped in the repo (authored labels: intent + complexity) and the evaluator's
 * retraining export (judged outcomes from production: did the small tier's answer hold up
 * against the frontier's?). Prompts are always redacted text.
 */
import { z } from "zod";

export const INTENTS = [
  "chat",
  "summarization",
  "classification",
  "extraction",
  "translation",
  "rewriting",
  "factual_qa",
  "coding",
  "math",
  "reasoning",
  "creative",
  "other",
] as const;
export const IntentSchema = z.enum(INTENTS);
export type Intent = z.infer<typeof IntentSchema>;

export const RouterTrainingExampleSchema = z
  .object({
    /** The (redacted) last user turn; earlier turns may be given in `context`. */
    prompt: z.string().min(1).max(100_000),
    context: z.string().max(200_000).optional(),
    intent: IntentSchema.optional(),
    /** Probability that the small tier's answer would be worse than the frontier's. */
    complexity: z.number().min(0).max(1).optional(),
    /** Judged outcome from production: true when the small tier's answer was as good. */
    small_ok: z.boolean().optional(),
    /**
     * Where small_ok came from: a small-tier answer the client was served, or a shadow small-tier
     * answer to a prompt the frontier served (asked in the background, never shown).
     */
    small_ok_source: z.enum(["served", "shadow"]).optional(),
    language: z.string().max(16).optional(),
    source: z.enum(["corpus", "feedback"]),
    request_id: z.string().max(128).optional(),
    weight: z.number().positive().max(100).optional(),
  })
  .refine((e) => e.intent !== undefined || e.complexity !== undefined || e.small_ok !== undefined, {
    message: "an example needs at least one label: intent, complexity or small_ok",
  });
export type RouterTrainingExample = z.infer<typeof RouterTrainingExampleSchema>;
