/**
 * Cascade mode (per feature): draft on the cheap tier, verify the draft, and escalate to the
 * routed tier when verification fails. The client sees only the served answer; a streaming
 * client gets the draft replayed as SSE after verification (first token waits for the whole
 * draft: the documented trade-off), or the escalated answer streamed live. A rejected draft
 * still cost money, so it is published as its own usage event (`<request id>:draft`).
 */
import { verifyDraft } from "../router/cascade/verify-draft";
import { buildAttempts, type Attempt } from "../router/attempts/build-attempts";
import { runChat, type Answered, type RunContext } from "../router/attempts/run-attempts";
import type { ChatResult } from "../upstreams/upstream";
import type { ModelRegistry } from "../config/model-registry";
import { accountChat } from "./accounting";
import type { ChatExchange } from "./exchange";
import type { ExchangeResult } from "./build-event";

export interface CascadeDraft {
  accepted: boolean;
  answered: Answered<ChatResult> | null;
}

export async function draftAndVerify(
  ex: ChatExchange,
  draftTier: string,
  registry: ModelRegistry,
  limits: Pick<Parameters<typeof buildAttempts>[2], "models" | "tiers" | "accepts">,
  run: RunContext,
  publishDraft: (draftEx: ChatExchange, r: ExchangeResult) => void,
): Promise<CascadeDraft> {
  const attempts: Attempt[] = buildAttempts(registry, { tier: draftTier }, limits).filter((a) => a.tier === draftTier);
  let answered: Answered<ChatResult> | null = null;
  try {
    answered = await runChat(ex.request, attempts, { ...run, records: [] });
  } catch {
    // A failed draft is a failed verification: escalate.
  }
  const text = answered?.value.response.choices[0]?.message.content ?? "";
  const finishReason = answered?.value.response.choices[0]?.finish_reason ?? null;
  const complexity = typeof (ex.decisions.route as { complexity?: unknown } | undefined)?.complexity === "number" ? ((ex.decisions.route as { complexity: number }).complexity) : undefined;
  const verdict = answered ? verifyDraft(ex.request, text, { finishReason, ...(complexity !== undefined ? { complexity } : {}) }) : { ok: false, reasons: ["draft_failed"], score: 0 };
  ex.decisions.cascade = { draftTier, draftModel: answered?.attempt.model.id ?? null, accepted: verdict.ok, reasons: verdict.reasons, score: verdict.score };
  ex.headers["x-cascade"] = verdict.ok ? `accepted:${draftTier}` : `escalated:${verdict.reasons.join("+") || "rejected"}`;
  if (answered && !verdict.ok) {
    const draftEx: ChatExchange = { ...ex, requestId: `${ex.requestId}:draft`, answeredBy: answered.attempt.model, attempts: answered.records, decisions: { cascadeDraftOf: ex.requestId } };
    publishDraft(draftEx, { status: 200, errorCode: null, ...accountChat(draftEx, answered.value.usage, text, answered.attempt.model, registry), completedAt: Date.now(), ttftMs: null, answer: text });
  }
  if (answered && verdict.ok) ex.attempts.push(...answered.records);
  return { accepted: verdict.ok, answered };
}
