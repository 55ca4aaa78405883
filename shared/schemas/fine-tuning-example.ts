/**
 * One supervised fine-tuning example in OpenAI's chat format (`{"messages": [...]}`, one JSON
 * object a line), as `GET /admin/v1/datasets/fine-tuning` writes it and the LoRA job in
 * gpu-backends/k8s/training reads it (axolotl `type: chat_template`). Text is redacted:
 * placeholders such as `<PERSON_1>` stand where PII was, so the small model learns to carry
 * them through, exactly as it sees them behind the gateway.
 *
 * `weight: 0` marks earlier assistant turns of a conversation (they were written by whichever
 * model answered then): only the last assistant message, the better answer, is trained on.
 */
import { z } from "zod";

export const FineTuningMessageSchema = z
  .object({
    role: z.enum(["system", "user", "assistant"]),
    content: z.string(),
    weight: z.union([z.literal(0), z.literal(1)]).optional(),
  })
  .strict();
export type FineTuningMessage = z.infer<typeof FineTuningMessageSchema>;

/** Where an example came from; only written when the export is asked for it (`meta=true`). */
export const FineTuningMetaSchema = z
  .object({
    /** "pair": a low-scoring small-tier draft and the better answer served; "teacher": a well-judged frontier answer. */
    source: z.enum(["pair", "teacher"]),
    /** The request whose (better) answer is the target. */
    request_id: z.string(),
    /** The small tier's low-scoring answer to the same messages (a cascade draft); pairs only. */
    student_request_id: z.string().optional(),
    student_model: z.string().optional(),
    student_score: z.number().optional(),
    teacher_model: z.string(),
    teacher_score: z.number(),
  })
  .strict();

export const FineTuningExampleSchema = z
  .object({ messages: z.array(FineTuningMessageSchema).min(2), metadata: FineTuningMetaSchema.optional() })
  .strict()
  .refine((e) => e.messages.at(-1)?.role === "assistant" && e.messages.at(-1)?.content.trim() !== "", "the last message is the non-empty target answer")
  .refine((e) => e.messages.some((m) => m.role === "user"), "an example needs a user message");
export type FineTuningExample = z.infer<typeof FineTuningExampleSchema>;
