/**
 * Cascade mode (per feature): draft on the cheap tier, verify the draft (draft-verdict.ts: the
 * trained verifier's P(draft wrong) against the tenant's threshold), and escalate to the
 * routed tier when verification fails. The client sees only the served answer; a streaming
 * client gets the draft replayed as SSE after verification (first token waits for the whole
 * draft: the documented trade-off), or the escalated answer streamed live. A rejected draft
 * still cost money, so it is published as its own usage event (`<request id>:draft`).
 */
import { buildAttempts, type Attempt } from "../router/attempts/build-attempts";
import { runChat, type Answered, type RunContext } from "../router/attempts/run-attempts";
import type { ChatResult } from "../upstreams/upstream";
import type { ModelRegistry } from "../config/model-registry";
import { accountChat } from "./accounting";
import type { ChatExchange } from "./exchange";
import type { ExchangeResult } from "./build-event";
import { draftRequest, judgeDraft } from "./draft-verdict";

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
    answered = await runChat(draftRequest(ex.request, attempts), attempts, { ...run, records: [] });
  } catch {
    // A failed draft is a failed verification: escalate.
  }
  const text = answered?.value.response.choices[0]?.message.content ?? "";
  const verdict = answered ? judgeDraft(ex, answered.value.response) : null;
  const ok = verdict?.ok === true;
  const reasons = verdict?.reasons ?? ["draft_failed"];
  let draftCostUsd: number | null = null;
  if (answered && !ok) {
    const draftEx: ChatExchange = { ...ex, requestId: `${ex.requestId}:draft`, answeredBy: answered.attempt.model, attempts: answered.records, decisions: { cascadeDraftOf: ex.requestId } };
    const account = accountChat(draftEx, answered.value.usage, text, answered.attempt.model, registry);
    draftCostUsd = account.costUsd;
    publishDraft(draftEx, { status: 200, errorCode: null, ...account, completedAt: Date.now(), ttftMs: null, answer: text });
  }
  ex.decisions.cascade = {
    draftTier, draftModel: answered?.attempt.model.id ?? null, accepted: ok, reasons, score: verdict?.score ?? 0,
    pWrong: verdict?.pWrong ?? 1, threshold: verdict?.threshold ?? null, verifierVersion: verdict?.verifierVersion ?? null, logprobTokens: verdict?.logprobTokens ?? 0,
    // An escalated draft is billed as its own ledger row (`<id>:draft`); its cost is noted here for the trace.
    ...(draftCostUsd !== null ? { draftCostUsd } : {}),
  };
  ex.headers["x-cascade"] = ok ? `accepted:${draftTier}` : `escalated:${reasons.join("+") || "rejected"}`;
  if (verdict) ex.headers["x-cascade-p-wrong"] = verdict.pWrong.toFixed(3);
  if (answered && ok) ex.attempts.push(...answered.records);
  return { accepted: ok, answered };
}
