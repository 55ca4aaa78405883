/**
 * One scoring call to one judge, over its transport: the OpenAI chat completions wire format
 * (POST {baseUrl}/chat/completions: the self-hosted small tier, frontier APIs, the local
 * simulator) or the Workers AI binding (`env.AI.run`, JSON mode). Every byte that comes back
 * is validated: an answer that does not match the requested shape counts as a failed call,
 * never as a score (and is still billed: the judge was paid for it).
 */
import { z } from "zod";
import { EMPTY_USAGE, type TokenUsage } from "../../../../shared/usage";
import { WorkersAIOutputSchema } from "../../../../shared/schemas/workers-ai";
import type { StoredContent } from "../trace/trace-record";
import type { Judge } from "./config";
import { exchangeText, FULL_RESPONSE_FORMAT, FullAnswerSchema, fullMessages, RUBRICS, triageMessages, triageResponseFormat, TriageAnswerSchema, type Rubric } from "./rubrics";

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

/** A judge's verdict on one answer: overall 1-5, per rubric when it gave them (strong judges), its confidence. */
export interface PanelVerdict {
  overall: number;
  scores: Partial<Record<Rubric, { score: number; reason: string }>>;
  confidence: number;
}

export interface PanelCall {
  verdict: PanelVerdict;
  usage: TokenUsage;
}

/** A judge's JSON answer parsed with `schema`, or null. A ```json fence is tolerated: judges without structured outputs often add one. */
export function parseJudgeJson<T>(text: string, schema: z.ZodType<T>): T | null {
  const unfenced = text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, "$1");
  try {
    const parsed = schema.safeParse(JSON.parse(unfenced));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const parseJudgement = (text: string): Judgement | null => parseJudgeJson(text, JudgementSchema);

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** The Workers AI binding, as much of it as a judge uses. */
export interface AiBinding {
  run(model: string, inputs: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown>;
}

export interface JudgeTransportDeps {
  fetch: Fetch;
  credential: (secretName: string) => string | undefined;
  /** Needed by judges of kind "workers-ai" (production); locally they are configured away. */
  ai?: AiBinding;
}

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
type ResponseFormat = { type: "json_schema"; json_schema: { name: string; strict?: boolean; schema: object } };

/** Output tokens a judge may spend: a few numbers (and one short sentence) an answer. */
export const FULL_MAX_TOKENS = 160;
export const triageMaxTokens = (n: number): number => 16 + 8 * n;

const usageOf = (u: { prompt_tokens: number; completion_tokens: number; cached?: number } | null | undefined): TokenUsage =>
  u ? { input: { total: u.prompt_tokens, cached: u.cached ?? 0 }, output: { total: u.completion_tokens, reasoning: 0 }, source: "upstream" } : EMPTY_USAGE;

async function openAICompatible(judge: Extract<Judge, { kind: "openai-compatible" }>, messages: readonly JudgeMessage[], rf: ResponseFormat, maxTokens: number, deps: JudgeTransportDeps): Promise<{ text: string; usage: TokenUsage }> {
  const credential = judge.credential ? deps.credential(judge.credential) : undefined;
  const res = await deps.fetch(`${judge.baseUrl.replace(/\/$/, "")}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
    body: JSON.stringify({ model: judge.model, messages, temperature: 0, max_tokens: maxTokens, response_format: rf }),
    signal: AbortSignal.timeout(judge.timeoutMs),
  });
  if (!res.ok) throw new JudgeCallError(`judge ${judge.name} answered HTTP ${res.status}`);
  const body = CompletionSchema.safeParse(await res.json());
  if (!body.success) throw new JudgeCallError(`judge ${judge.name}: malformed completion`);
  const u = body.data.usage;
  return { text: body.data.choices[0]?.message.content ?? "", usage: usageOf(u && { ...u, cached: u.prompt_tokens_details?.cached_tokens }) };
}

/** Workers AI JSON mode takes the bare schema as `json_schema` (https://developers.cloudflare.com/workers-ai/json-mode/). */
async function workersAI(judge: Judge, messages: readonly JudgeMessage[], rf: ResponseFormat, maxTokens: number, deps: JudgeTransportDeps): Promise<{ text: string; usage: TokenUsage }> {
  if (!deps.ai) throw new JudgeCallError(`judge ${judge.name}: the AI binding is not configured`);
  const inputs = { messages, temperature: 0, max_tokens: maxTokens, response_format: { type: "json_schema", json_schema: rf.json_schema.schema } };
  let raw: unknown;
  try {
    raw = await deps.ai.run(judge.model, inputs, { signal: AbortSignal.timeout(judge.timeoutMs) });
  } catch (err) {
    throw new JudgeCallError(`judge ${judge.name}: workers-ai ${String(err instanceof Error ? err.message : err).slice(0, 200)}`);
  }
  const out = WorkersAIOutputSchema.safeParse(raw);
  if (!out.success) throw new JudgeCallError(`judge ${judge.name}: malformed workers-ai output`);
  const response = out.data.response;
  return { text: response == null ? "" : typeof response === "string" ? response : JSON.stringify(response), usage: usageOf(out.data.usage) };
}

async function complete(judge: Judge, messages: readonly JudgeMessage[], rf: ResponseFormat, deps: JudgeTransportDeps, maxTokens = FULL_MAX_TOKENS): Promise<{ text: string; usage: TokenUsage }> {
  return judge.kind === "workers-ai" ? workersAI(judge, messages, rf, maxTokens, deps) : openAICompatible(judge, messages, rf, maxTokens, deps);
}

/** One {score, reason} question (the cache-fit audit). */
export async function callJudgeWith(judge: Judge, messages: readonly JudgeMessage[], rf: ResponseFormat, deps: JudgeTransportDeps): Promise<RubricCall> {
  const { text, usage } = await complete(judge, messages, rf, deps);
  const judgement = parseJudgement(text);
  if (!judgement) throw new JudgeCallError(`judge ${judge.name}: answer is not {score, reason}`, usage);
  return { judgement, usage };
}

/** A strong judge's verdict: every rubric with a reason; overall = their mean. */
export async function callStrongJudge(judge: Judge, content: StoredContent, deps: JudgeTransportDeps): Promise<PanelCall> {
  const { text, usage } = await complete(judge, fullMessages(content), FULL_RESPONSE_FORMAT, deps);
  const a = parseJudgeJson(text, FullAnswerSchema);
  if (!a) throw new JudgeCallError(`judge ${judge.name}: answer is not {faithfulness, relevance, format, confidence, reason}`, usage);
  const scores = Object.fromEntries(RUBRICS.map((r) => [r, { score: a[r], reason: a.reason }]));
  return { verdict: { overall: RUBRICS.reduce((sum, r) => sum + a[r], 0) / RUBRICS.length, scores, confidence: a.confidence }, usage };
}

/**
 * A cheap judge's triage of several answers in one call (the exchanges are numbered; the
 * verdicts come back in order, exactly one each, or the call failed as a whole).
 */
export async function callTriageJudge(judge: Judge, contents: readonly StoredContent[], deps: JudgeTransportDeps): Promise<{ verdicts: PanelVerdict[]; usage: TokenUsage }> {
  const { text, usage } = await complete(judge, triageMessages(contents.map(exchangeText)), triageResponseFormat(contents.length), deps, triageMaxTokens(contents.length));
  const a = parseJudgeJson(text, TriageAnswerSchema);
  if (!a || a.verdicts.length !== contents.length) throw new JudgeCallError(`judge ${judge.name}: answer is not ${contents.length} triage verdict(s)`, usage);
  return { verdicts: a.verdicts.map(([score, confidence]) => ({ overall: score, scores: {}, confidence })), usage };
}

/** One answer judged in one call: triaged by a cheap judge, scored per rubric by a strong one (rubrics.ts). */
export async function callPanelJudge(judge: Judge, content: StoredContent, deps: JudgeTransportDeps): Promise<PanelCall> {
  if (judge.tier === "strong") return callStrongJudge(judge, content, deps);
  const { verdicts, usage } = await callTriageJudge(judge, [content], deps);
  return { verdict: verdicts[0] as PanelVerdict, usage };
}
