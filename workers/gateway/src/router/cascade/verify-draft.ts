/**
 * Cascade verifier: decides from the prompt and one draft whether the small tier's answer can
 * be served or the request must escalate. Pure; the chat pipeline makes the calls.
 *
 * Hard failures always escalate: empty, refusal, truncation, a generation loop, broken
 * requested format (JSON, JSON Schema). Otherwise the trained verifier (verifier-model.ts) reads the draft's signals
 * (stated arithmetic recomputed, final answer against the working and the prompt's numbers,
 * hedging, length against the ask, multiple-choice validity, token logprobs when present) and
 * gives P(draft wrong); the draft escalates when that is above the tenant's threshold.
 */
import { checkAgainstSchema } from "../../../../../shared/json-schema-checks";
import { lastUserText, type ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { draftFeatureVector } from "./draft-features";
import { isRefusal, looksTruncated, repetition } from "./draft-signals";
import type { LogprobStats } from "./logprob-signals";
import { pWrong, topSignals, verifierFor, type VerifierModel } from "./verifier-model";

export interface VerifyOptions {
  /** finish_reason of the draft; "length" means it was cut off. */
  finishReason?: string | null;
  /** Router complexity of the prompt (the prior). */
  complexity?: number;
  /** Escalate when P(wrong) is above this (router settings `cascadeThreshold`); default: the model's. */
  threshold?: number;
  /** Token logprob summary of the draft, when the upstream returned logprobs. */
  logprobs?: LogprobStats | null;
  /** Another model (tests, candidate weights); default: the shipped one (or a bench build's source). */
  model?: VerifierModel;
}

export interface VerifyResult {
  ok: boolean;
  /** Hard failures, or the signals that drove P(wrong) up when the verifier escalated. */
  reasons: string[];
  /** 1 − P(wrong), rounded (0 for a hard failure). */
  score: number;
  /** The verifier's P(draft wrong); 1 for a hard failure. */
  pWrong: number;
  threshold: number;
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

function hardFailures(request: VerifyRequest, text: string, finishReason: string | null | undefined): string[] {
  if (!text.trim()) return ["empty"];
  const hard: string[] = [];
  if (isRefusal(text)) hard.push("refusal");
  if (finishReason === "length" || looksTruncated(text)) hard.push("truncated");
  // Half the sentences repeated is a generation loop, whatever the verifier thinks of the rest.
  if (repetition(text) >= 0.5) hard.push("repetition");
  const format = formatProblem(request, text);
  if (format) hard.push(format);
  return hard;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function verifyDraft(request: VerifyRequest, draftText: string, options: VerifyOptions = {}): VerifyResult {
  const text = draftText ?? "";
  const prompt = lastUserText(request.messages);
  const model = options.model ?? verifierFor(prompt);
  const threshold = options.threshold ?? model.threshold;
  const hard = hardFailures(request, text, options.finishReason);
  if (hard.length) return { ok: false, reasons: hard, score: 0, pWrong: 1, threshold };
  const x = draftFeatureVector({ prompt, draft: text, finishReason: options.finishReason ?? null, prior: options.complexity ?? null, logprobs: options.logprobs ?? null });
  // Decided on the reported (rounded) value, so the header and the trace explain the decision exactly.
  const p = round3(pWrong(model, x));
  const ok = p <= threshold;
  return { ok, reasons: ok ? [] : ["p_wrong", ...topSignals(model, x)], score: round3(1 - p), pWrong: p, threshold };
}
