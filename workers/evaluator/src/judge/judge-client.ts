/**
 * One rubric call to one judge over the OpenAI chat completions wire format (POST
 * {baseUrl}/chat/completions). Every byte that comes back is validated: an answer that is not
 * {score 1-5, reason} counts as a failed call, never as a score.
 */
import { z } from "zod";
import { EMPTY_USAGE, type TokenUsage } from "../../../../shared/usage";
import type { StoredContent } from "../trace/trace-record";
import type { Judge } from "./config";
import { rubricMessages, rubricResponseFormat, type Rubric } from "./rubrics";

const CompletionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
  usage: z
    .object({
      prompt_tokens: z.number().int().nonnegative(),
      completion_tokens: z.number().int().nonnegative(),
      prompt_tokens_details: z.object({ cached_tokens: z.number().int().nonnegative().optional() }).nullish(),
    })
    .optional(),
});

export const JudgementSchema = z.object({ score: z.coerce.number().int().min(1).max(5), reason: z.string().max(2_000) });
export type Judgement = z.infer<typeof JudgementSchema>;

export interface RubricCall {
  judgement: Judgement;
  usage: TokenUsage;
}

/**
 * A judge's {score, reason} answer, or null. A ```json fence around the object is tolerated:
 * judges without structured outputs often add one; anything else is not a score.
 */
export function parseJudgement(text: string): Judgement | null {
  const unfenced = text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, "$1");
  try {
    const parsed = JudgementSchema.safeParse(JSON.parse(unfenced));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** A judge call that failed; `usage` is what it was billed (a judge that answered off-format still costs). */
export class JudgeCallError extends Error {
  constructor(
    message: string,
    readonly usage: TokenUsage = EMPTY_USAGE,
  ) {
    super(message);
  }
}

export type JudgeMessage = { role: "system" | "user"; content: string };

export function callJudge(judge: Judge, rubric: Rubric, content: StoredContent, credential: string | undefined, fetchFn: Fetch): Promise<RubricCall> {
  return callJudgeWith(judge, rubricMessages(rubric, content), rubricResponseFormat(rubric), credential, fetchFn);
}

/** One scoring call with any prompt that asks for {score, reason} (rubrics, cache audits). */
export async function callJudgeWith(
  judge: Judge,
  messages: readonly JudgeMessage[],
  responseFormat: unknown,
  credential: string | undefined,
  fetchFn: Fetch,
): Promise<RubricCall> {
  const res = await fetchFn(`${judge.baseUrl.replace(/\/$/, "")}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
    body: JSON.stringify({ model: judge.model, messages, temperature: 0, max_tokens: 300, response_format: responseFormat }),
    signal: AbortSignal.timeout(judge.timeoutMs),
  });
  if (!res.ok) throw new JudgeCallError(`judge ${judge.name} answered HTTP ${res.status}`);
  const body = CompletionSchema.safeParse(await res.json());
  if (!body.success) throw new JudgeCallError(`judge ${judge.name}: malformed completion`);
  const u = body.data.usage;
  const usage: TokenUsage = u
    ? { input: { total: u.prompt_tokens, cached: u.prompt_tokens_details?.cached_tokens ?? 0 }, output: { total: u.completion_tokens, reasoning: 0 }, source: "upstream" }
    : EMPTY_USAGE;
  const judgement = parseJudgement(body.data.choices[0]?.message.content ?? "");
  if (!judgement) throw new JudgeCallError(`judge ${judge.name}: answer is not {score, reason}`, usage);
  return { judgement, usage };
}
