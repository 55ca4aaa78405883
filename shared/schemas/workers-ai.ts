/**
 * Workers AI text-generation output shapes (binding `env.AI.run`), as documented per model and
 * typed in @cloudflare/workers-types (AiTextGenerationOutput): `{response, tool_calls, usage}`.
 * tool_calls come in two generations: legacy `{name, arguments: object}` and OpenAI-style
 * `{id, type: "function", function: {name, arguments: string}}`. In JSON mode `response` may
 * already be an object. Spec: https://developers.cloudflare.com/workers-ai/models/
 */
import { z } from "zod";

const LegacyToolCallSchema = z.looseObject({ name: z.string(), arguments: z.unknown(), id: z.string().optional() });
const OpenAIToolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal("function").optional(),
  function: z.looseObject({ name: z.string(), arguments: z.unknown() }),
});
export const WorkersAIToolCallSchema = z.union([OpenAIToolCallSchema, LegacyToolCallSchema]);
export type WorkersAIToolCall = z.infer<typeof WorkersAIToolCallSchema>;

export const WorkersAIUsageSchema = z.looseObject({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative().optional(),
});
export type WorkersAIUsage = z.infer<typeof WorkersAIUsageSchema>;

export const WorkersAIOutputSchema = z.looseObject({
  response: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).nullish(),
  tool_calls: z.array(WorkersAIToolCallSchema).nullish(),
  usage: WorkersAIUsageSchema.nullish(),
});
export type WorkersAIOutput = z.infer<typeof WorkersAIOutputSchema>;

/** One SSE `data:` event of a streamed run: a text piece, sometimes tool calls, usage at the end. */
export const WorkersAIStreamEventSchema = z.looseObject({
  response: z.string().nullish(),
  tool_calls: z.array(WorkersAIToolCallSchema).nullish(),
  usage: WorkersAIUsageSchema.nullish(),
});
