/**
 * Cascade verifier: decides whether the small tier's draft can be served or the request must
 * escalate. Pure; the lead's executor makes the calls. Hard failures (empty, refusal, broken
 * requested format, truncation) always reject; soft signals (hedging, repetition, missing
 * code, too short for a hard prompt) lower the score, and the draft passes when the score is
 * at least `minScore`.
 */
import { checkAgainstSchema } from "../../../../../shared/json-schema-checks";
import { lastUserText, type ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { asksForCode, hasCode, hedgeRate, isRefusal, looksTruncated, repetition } from "./draft-signals";

export interface VerifyOptions {
  /** finish_reason of the draft; "length" means it was cut off. */
  finishReason?: string | null;
  /** Router complexity of the prompt: hard prompts need substantive answers. */
  complexity?: number;
  minScore?: number;
}

export interface VerifyResult {
  ok: boolean;
  reasons: string[];
  score: number;
}

type VerifyRequest = Pick<ChatCompletionRequest, "messages" | "response_format">;

function formatProblem(request: VerifyRequest, text: string): string | null {
  const rf = request.response_format;
  if (!rf || rf.type === "text") return null;
  let value: unknown;
  try {
    value = JSON.parse(text.trim().replace(/^```(?:json)?\s*|\s*```$/g, ""));
  } catch {
    return "invalid_json";
  }
  if (rf.type === "json_object") return value !== null && typeof value === "object" && !Array.isArray(value) ? null : "invalid_json";
  const schema = rf.json_schema.schema;
  if (!schema) return null;
  const check = checkAgainstSchema(schema, value);
  // A schema that cannot be compiled cannot vouch for the draft: escalate rather than throw.
  return check.valid === true ? null : check.valid === false ? "schema_mismatch" : "schema_unverifiable";
}

export function verifyDraft(request: VerifyRequest, draftText: string, options: VerifyOptions = {}): VerifyResult {
  const text = draftText ?? "";
  const hard: string[] = [];
  if (!text.trim()) return { ok: false, reasons: ["empty"], score: 0 };
  if (isRefusal(text)) hard.push("refusal");
  if (options.finishReason === "length" || looksTruncated(text)) hard.push("truncated");
  const format = formatProblem(request, text);
  if (format) hard.push(format);
  const soft: [string, number][] = [];
  const hedges = hedgeRate(text);
  if (hedges >= 2) soft.push(["hedging", Math.min(0.5, hedges / 10)]);
  const rep = repetition(text);
  if (rep >= 0.3) soft.push(["repetition", Math.min(0.6, rep)]);
  const prompt = lastUserText(request.messages);
  if (asksForCode(prompt) && !hasCode(text)) soft.push(["missing_code", 0.4]);
  const c = options.complexity ?? 0;
  if (c >= 0.5 && text.trim().length < 40) soft.push(["too_short", 0.3]);
  const score = Math.max(0, 1 - soft.reduce((s, [, p]) => s + p, 0) - (hard.length ? 0.5 : 0));
  const reasons = [...hard, ...soft.map(([r]) => r)];
  return { ok: hard.length === 0 && score >= (options.minScore ?? 0.6), reasons, score: Math.round(score * 1000) / 1000 };
}
