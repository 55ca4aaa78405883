/**
 * Shadow small-tier sample (docs/router.md, "Shadow small-tier labels"): the router learns from
 * judged small-tier answers (`small_ok`), but a default deployment serves only a few percent on
 * the small tier, so its training labels would all come from the prompts it already sends there.
 * For a share of the requests the frontier (any tier above the cheapest) answered, the same
 * redacted request is also sent to the cheapest tier in the background (waitUntil, after the
 * client's answer was published: never on the response path). Its answer is never served; it is
 * published as its own usage event `<id>:shadow` (decisions.shadowOf = <id>), billed in the
 * ledger under the tenant like a cascade draft (a model call made because of request <id>), and
 * the evaluator judges it beside the served answer, so the retraining export gets a `small_ok`
 * label for a frontier-served prompt.
 *
 * The draw is the evaluator's (FNV-1a of the request id / 2^32, judge/config.ts unitDraw): at
 * JUDGE_SAMPLING and TRACE_SAMPLING rates >= the shadow rate every shadow pair is judged and its
 * trace (the sealed exchange the export reads) stays in D1.
 */
import { fnv1a } from "../../../../shared/hash/fnv1a";
import type { ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";
import type { ModelRegistry } from "../config/model-registry";
import { buildAttempts, type Attempt, type AttemptLimits } from "../router/attempts/build-attempts";
import { runChat, type RunContext } from "../router/attempts/run-attempts";
import type { RouterSettings } from "../router/settings";
import { accountChat } from "./accounting";
import type { ExchangeResult } from "./build-event";
import type { ChatExchange } from "./exchange";
import type { RequestedTarget } from "./resolve-target";

export const SHADOW_SUFFIX = ":shadow";

/** The same draw as the evaluator's sampling (judge/config.ts unitDraw). */
export const shadowDraw = (requestId: string): number => fnv1a(requestId) / 0x1_0000_0000;

/**
 * The share in force: the tenant's (or feature's) `router.shadowSmallRate`, else the deployment's
 * SHADOW_SMALL_RATE var (wrangler.toml: 0.02), else 0. 0 turns it off (a tenant's opt-out).
 */
export function shadowRate(settings: Pick<RouterSettings, "shadowSmallRate">, deploymentRate: string | undefined): number {
  if (settings.shadowSmallRate !== undefined) return settings.shadowSmallRate;
  const n = Number(deploymentRate);
  return deploymentRate !== undefined && deploymentRate.trim() !== "" && Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}

export interface ShadowPlan {
  tier: string;
  attempts: Attempt[];
}

/**
 * Whether this request gets a shadow, decided once routing is known: the router chose the tier
 * (`auto`; a client that named a model or tier keeps its choice to itself), the tenant's router
 * is on, the request is drawn, and the key may use the cheapest tier. Whether the frontier
 * really answered is checked when the answer is published (shadowAfterServed).
 */
export function planShadow(
  ex: Pick<ChatExchange, "requestId">,
  requested: RequestedTarget,
  settings: RouterSettings,
  deploymentRate: string | undefined,
  registry: ModelRegistry,
  limits: AttemptLimits,
): ShadowPlan | null {
  const tier = settings.tiers[0];
  if (!tier || requested.kind !== "auto" || !settings.enabled) return null;
  if (shadowDraw(ex.requestId) >= shadowRate(settings, deploymentRate)) return null;
  const attempts = buildAttempts(registry, { tier }, limits).filter((a) => a.tier === tier);
  return attempts.length ? { tier, attempts } : null;
}

/** The shadow's request: the redacted one the frontier got, asked for whole (nobody reads a stream of it). */
export function shadowRequest(request: ChatCompletionRequest): ChatCompletionRequest {
  const { stream_options: _dropped, ...rest } = request;
  return { ...rest, stream: false };
}

/**
 * Runs the shadow call and publishes its event; never throws (a failed shadow is logged, costs
 * no label and bills nothing: no answer, no tokens).
 */
export async function runShadow(
  ex: ChatExchange,
  plan: ShadowPlan,
  registry: ModelRegistry,
  run: RunContext,
  publish: (shadowEx: ChatExchange, r: ExchangeResult) => void,
  now: () => number = Date.now,
): Promise<void> {
  const startedAt = now();
  try {
    const request = shadowRequest(ex.request);
    const answered = await runChat(request, plan.attempts, { ...run, records: [] }, "total");
    const text = answered.value.response.choices.map((ch) => ch.message.content ?? "").join("");
    const shadowEx: ChatExchange = {
      ...ex, requestId: `${ex.requestId}${SHADOW_SUFFIX}`, clientRequestId: null, receivedAt: startedAt, request, stream: false, includeUsage: false,
      cache: "off", cacheSimilarity: null, answeredBy: answered.attempt.model, attempts: answered.records,
      decisions: { shadowOf: ex.requestId, finishReason: answered.value.response.choices[0]?.finish_reason ?? null }, headers: {},
    };
    const account = accountChat(shadowEx, answered.value.usage, text, answered.attempt.model, registry);
    publish(shadowEx, { status: 200, errorCode: null, ...account, completedAt: now(), ttftMs: null, answer: text });
  } catch (err) {
    console.warn(JSON.stringify({ level: "warn", msg: "shadow small-tier call failed", requestId: ex.requestId, error: err instanceof Error ? err.name : "unknown" }));
  }
}

/**
 * Wraps the request's publisher: once the served answer is published with a 200 and an answer
 * from a tier other than the shadow's, the shadow runs in the background.
 */
export function shadowAfterServed(
  ex: ChatExchange,
  plan: ShadowPlan | null,
  publish: (r: ExchangeResult) => void,
  start: (plan: ShadowPlan) => void,
): (r: ExchangeResult) => void {
  if (!plan) return publish;
  return (r) => {
    publish(r);
    if (r.status === 200 && r.answer !== null && !ex.cache.startsWith("hit-") && ex.answeredBy && ex.answeredBy.tier !== plan.tier) start(plan);
  };
}
