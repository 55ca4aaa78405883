/**
 * The cascade's draft, asked for and judged. Drafts on OpenAI-compatible upstreams (vLLM,
 * OpenAI) ask for token logprobs, which the verifier reads when they come back; a client
 * that did not ask for logprobs never sees them. The verdict uses the router's prior and the
 * tenant's threshold recorded on the exchange by the route stage.
 */
import type { ChatCompletionRequest, ChatCompletionResponse } from "../../../../shared/schemas/openai-chat";
import type { Attempt } from "../router/attempts/build-attempts";
import { logprobStats } from "../router/cascade/logprob-signals";
import { verifyDraft, type VerifyResult } from "../router/cascade/verify-draft";
import { verifierFor } from "../router/cascade/verifier-model";
import { lastUserText } from "../../../../shared/schemas/openai-chat";
import type { ChatExchange } from "./exchange";

const LOGPROB_UPSTREAMS = new Set(["openai-compatible"]);

/** The request sent for the draft: logprobs asked for when every candidate upstream returns them. */
export function draftRequest(request: ChatCompletionRequest, attempts: readonly Attempt[]): ChatCompletionRequest {
  if ("logprobs" in request || attempts.length === 0 || !attempts.every((a) => LOGPROB_UPSTREAMS.has(a.model.upstream.kind))) return request;
  return { ...request, logprobs: true };
}

const routeNumber = (ex: Pick<ChatExchange, "decisions">, key: "complexity" | "cascadeThreshold"): number | undefined => {
  const v = (ex.decisions.route as Record<string, unknown> | undefined)?.[key];
  return typeof v === "number" ? v : undefined;
};

export interface DraftVerdict extends VerifyResult {
  verifierVersion: string;
  /** Tokens of the draft that carried a logprob (0 when the upstream returned none). */
  logprobTokens: number;
}

/** Judges the draft answer; strips logprobs the client did not ask for from the response it may serve. */
export function judgeDraft(ex: Pick<ChatExchange, "request" | "decisions">, response: ChatCompletionResponse): DraftVerdict {
  const choice = response.choices[0];
  const stats = logprobStats((choice as { logprobs?: unknown } | undefined)?.logprobs);
  if (choice && !("logprobs" in ex.request) && "logprobs" in choice) delete (choice as { logprobs?: unknown }).logprobs;
  const complexity = routeNumber(ex, "complexity");
  const threshold = routeNumber(ex, "cascadeThreshold");
  const verdict = verifyDraft(ex.request, choice?.message.content ?? "", {
    finishReason: choice?.finish_reason ?? null,
    logprobs: stats,
    ...(complexity !== undefined ? { complexity } : {}),
    ...(threshold !== undefined ? { threshold } : {}),
  });
  return { ...verdict, verifierVersion: verifierFor(lastUserText(ex.request.messages)).version, logprobTokens: stats?.tokens ?? 0 };
}
