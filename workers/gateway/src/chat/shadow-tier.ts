/**
 * Shadow calls to the other tier (docs/router.md, "Shadow labels"): for a drawn share of
 * router-decided requests the same redacted request is also sent, in the background (waitUntil,
 * after the client's answer was published: never on the response path), to the tier that did
 * NOT answer, so the judges see both answers to one prompt. The shadow's answer is never served;
 * it is published as its own usage event `<id>:shadow` (decisions.shadowOf = <id>), billed in
 * the ledger under the tenant like a cascade draft (a model call made because of request <id>),
 * and the evaluator judges it beside the served answer.
 *
 *  - Small shadow (a stronger tier served): the cheapest tier answers too, giving the retraining
 *    export a `small_ok` label for a frontier-served prompt and the labelled band a pair.
 *  - Frontier shadow (the cheapest tier served): the strongest tier answers too, so the labelled
 *    band can pair the served small answer (bad = small < min(pass, frontier), win = small passed
 *    where the frontier failed) instead of counting every failed small answer as a loss. A
 *    frontier call costs real money and only the labelled band reads it, so it runs only while a
 *    quality target applies to the request, and `router.shadowFrontier: false` turns it off.
 *
 * Both directions use ONE draw and ONE rate (unitDraw of the request id below the tenant's shadow
 * rate): the labelled band's thinning (evaluator router-traffic/hour-labels.ts) needs every
 * routed request, whichever tier served it, to have had the same chance of a shadow. At judge and
 * trace rates >= the shadow rate every shadow pair is judged and its trace stays in D1.
 *
 * A shadow's answer is held to the tenant's output policy as a served one is (complete-response.ts):
 * the event, and so the queue, D1 traces, judges and exports, gets the text the policy leaves
 * (placeholders kept), and an answer the policy would withhold is published as `answer: null`
 * (billed, never judged, no label), whether the blocked entity is in its text or a tool call.
 *
 * A shadow is paid for by the tenant, so it is admitted like a call of its own: its estimated cost
 * is reserved on the request's budgets before it starts (middleware/side-call-budget.ts) and the
 * reservation is settled with its real cost when it ends, answered or failed. A budget at its cap,
 * or budgets that cannot be checked, mean no shadow (logged as `shadow skipped` with the reason).
 *
 * A drawn shadow that produces no answer (refused by a budget, or its call failed) is still
 * published, as a marker: `<id>:shadow` with status 0, `shadow_skipped`, no answer, no usage and
 * cost 0 (decisions.shadowSkipped = the reason). The labelled band needs to know the draw
 * happened: a frontier-served request whose small shadow is missing would otherwise drop out of
 * the labels silently, and budget skips fall on some requests more than others (evaluator
 * router-traffic/hour-labels.ts counts such a request as a loss).
 */
import type { Context } from "hono";
import { unitDraw } from "../../../../shared/hash/unit-draw";
import { GatewayError } from "../../../../shared/errors";
import type { ChatCompletionRequest, ChatCompletionResponse } from "../../../../shared/schemas/openai-chat";
import type { AttemptRecord } from "../../../../shared/schemas/usage-event";
import type { AuthContext } from "../app-env";
import type { ModelRegistry } from "../config/model-registry";
import { estimateCallCost } from "../limits/cost-estimate";
import { DEFAULT_OUTPUT_TOKENS } from "../limits/estimate";
import { reserveSideCall, type SideCallDeps, type SideCallGrant, type SideCallRefusal } from "../middleware/side-call-budget";
import { buildAttempts, type Attempt, type AttemptLimits } from "../router/attempts/build-attempts";
import { runChat, type RunContext } from "../router/attempts/run-attempts";
import { effectiveSettings, type RouterSettings } from "../router/settings";
import { accountChat } from "./accounting";
import type { ExchangeResult } from "./build-event";
import type { ChatExchange } from "./exchange";
import { answerText, mapChoiceTexts } from "./output-filter";
import type { RequestedTarget } from "./resolve-target";

export const SHADOW_SUFFIX = ":shadow";
/** The error code (and status 0) of a drawn shadow that produced no answer: a marker, not an error. */
export const SHADOW_SKIPPED = "shadow_skipped";
export const SHADOW_SKIPPED_STATUS = 0;

/**
 * The share in force: the tenant's (or feature's) `router.shadowSmallRate`, else the deployment's
 * SHADOW_SMALL_RATE var (wrangler.toml: 0.02), else 0. 0 turns both directions off (an opt-out).
 */
export function shadowRate(settings: Pick<RouterSettings, "shadowSmallRate">, deploymentRate: string | undefined): number {
  if (settings.shadowSmallRate !== undefined) return settings.shadowSmallRate;
  const n = Number(deploymentRate);
  return deploymentRate !== undefined && deploymentRate.trim() !== "" && Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}

export interface ShadowPlan {
  tier: string;
  attempts: Attempt[];
  /** Output cap when the client set none (shadowOutputCap); DEFAULT_OUTPUT_TOKENS when unset. */
  outputCap?: number;
}

/**
 * A shadow without a client cap may write twice what the served answer wrote, and at least
 * what an estimate assumes: a fixed cap would cut long answers off (finish_reason `length`),
 * and a cut-off answer pairs with nothing (shared/router-traffic/real-answer-sql.ts), so the
 * labelled band would lose its pairs exactly on long-answer prompts.
 */
export const shadowOutputCap = (servedOutputTokens: number): number => Math.max(DEFAULT_OUTPUT_TOKENS, 2 * Math.ceil(servedOutputTokens));

/** The shadow for each possible served tier: `small` when a stronger tier serves, `frontier` when the cheapest does. */
export interface ShadowPlans {
  /** The cheapest tier of router.tiers: an answer from it gets the frontier shadow. */
  cheapest: string;
  small: ShadowPlan | null;
  frontier: ShadowPlan | null;
}

/** The frontier shadow is paid for only where its label is read: a quality target applies, and the tenant did not opt out. */
export function wantsFrontierShadow(settings: RouterSettings, tenantId: string, feature: string | null): boolean {
  return settings.shadowFrontier !== false && (effectiveSettings(settings, tenantId, feature).qualityTarget ?? null) !== null;
}

/**
 * Whether this request gets a shadow, decided once routing is known: the router chose the tier
 * (`auto`; a client that named a model or tier keeps its choice to itself), the tenant's router
 * is on, the request is drawn, and the key may use the shadow's tier. Which tier really answered
 * is known only when the answer is published (shadowAfterServed picks the direction then).
 */
export function planShadows(
  ex: Pick<ChatExchange, "requestId" | "auth" | "feature">,
  requested: RequestedTarget,
  settings: RouterSettings,
  deploymentRate: string | undefined,
  registry: ModelRegistry,
  limits: AttemptLimits,
): ShadowPlans | null {
  const [cheapest, strongest] = [settings.tiers[0], settings.tiers[settings.tiers.length - 1]];
  if (!cheapest || !strongest || requested.kind !== "auto" || !settings.enabled) return null;
  if (unitDraw(ex.requestId) >= shadowRate(settings, deploymentRate)) return null;
  const on = (tier: string): ShadowPlan | null => {
    const attempts = buildAttempts(registry, { tier }, limits).filter((a) => a.tier === tier);
    return attempts.length ? { tier, attempts } : null;
  };
  const plans = { cheapest, small: on(cheapest), frontier: strongest !== cheapest && wantsFrontierShadow(settings, ex.auth.tenantId, ex.feature) ? on(strongest) : null };
  return plans.small || plans.frontier ? plans : null;
}

/**
 * The shadow's request: the redacted one the served tier got, asked for whole (nobody reads a
 * stream of it). Without a client cap it is capped (the plan's outputCap, else
 * DEFAULT_OUTPUT_TOKENS), and the budget estimate reads that cap, so the reservation bounds what
 * the shadow can cost; a client's own cap (either spelling) is kept, and the estimate reads it.
 */
export function shadowRequest(request: ChatCompletionRequest, outputCap: number = DEFAULT_OUTPUT_TOKENS): ChatCompletionRequest {
  const { stream_options: _dropped, ...rest } = request;
  const capped = typeof rest.max_completion_tokens === "number" || typeof rest.max_tokens === "number";
  return { ...rest, stream: false, ...(capped ? {} : { max_completion_tokens: outputCap }) };
}

/** What the shadow may cost, priced as budget admission prices a request (cost-estimate.ts) naming the shadow's tier. */
export function shadowEstimateUsd(registry: ModelRegistry, auth: AuthContext, plan: ShadowPlan, request: ChatCompletionRequest): number {
  const body = { ...request, model: plan.tier };
  return estimateCallCost(registry, auth, "chat", body, JSON.stringify(body).length).usd;
}

/** Reserves the shadow's estimated cost on the tenant's budgets; refused: no shadow. */
export type ShadowAdmission = (plan: ShadowPlan, request: ChatCompletionRequest) => Promise<SideCallGrant>;

/** The request's shadow admission: the shadow is reserved on, and settled to, the budgets its request was charged to. */
export function shadowBudget(c: Context, ex: Pick<ChatExchange, "auth" | "feature">, registry: ModelRegistry, deps?: SideCallDeps): ShadowAdmission {
  // async: an estimate that throws is a refused admission (a rejection runShadow handles), never a throw.
  return async (plan, request) => reserveSideCall(c, { label: "shadow", feature: ex.feature, estimateUsd: shadowEstimateUsd(registry, ex.auth, plan, request) }, deps);
}

/** The request's output policy on a whole text (chat/stages/guardrails-stage.ts `policy`): may throw `output_blocked`. */
export type ShadowOutputPolicy = (text: string) => string;

/** The shadow's answer as an event may hold it: the policy over every text, as complete-response.ts does, null when it blocks. */
function policedAnswer(choices: ChatCompletionResponse["choices"], policy: ShadowOutputPolicy): { text: string | null; error: GatewayError | null } {
  try {
    return { text: answerText(mapChoiceTexts(choices, policy)), error: null };
  } catch (err) {
    // Anything the policy throws withholds the answer (a non-policy error too: fail closed).
    return { text: null, error: err instanceof GatewayError ? err : new GatewayError("internal", "The shadow's answer could not be checked.") };
  }
}

/** Why a drawn shadow produced no answer (decisions.shadowSkipped of its marker). */
export type ShadowSkip = SideCallRefusal | "call_failed";

/** The shadow's exchange: `<id>:shadow`, pointing at its request, on the shadow's own clock. */
function shadowExchange(ex: ChatExchange, request: ChatCompletionRequest, startedAt: number, answeredBy: ChatExchange["answeredBy"], attempts: AttemptRecord[], decisions: Record<string, unknown>): ChatExchange {
  return {
    ...ex, requestId: `${ex.requestId}${SHADOW_SUFFIX}`, clientRequestId: null, receivedAt: startedAt, request, stream: false, includeUsage: false,
    cache: "off", cacheSimilarity: null, answeredBy, attempts, decisions: { shadowOf: ex.requestId, ...decisions }, headers: {},
  };
}

/** The marker of a drawn shadow without an answer: nothing billed, nothing to judge, the draw on record. */
function publishSkipped(ex: ChatExchange, plan: ShadowPlan, request: ChatCompletionRequest, reason: ShadowSkip, attempts: AttemptRecord[], at: number, publish: (shadowEx: ChatExchange, r: ExchangeResult) => void): void {
  const shadowEx = shadowExchange(ex, request, at, plan.attempts[0]?.model ?? null, attempts, { shadowSkipped: reason });
  try {
    publish(shadowEx, { status: SHADOW_SKIPPED_STATUS, errorCode: SHADOW_SKIPPED, usage: null, costUsd: 0, completedAt: at, ttftMs: null, answer: null });
  } catch (err) {
    // runShadow never throws. A lost marker leaves the draw unrecorded, like a shadow cut off with its isolate (docs/router.md, labelled band: what is left).
    console.error(JSON.stringify({ level: "error", msg: "shadow marker not published", reason, requestId: ex.requestId, error: err instanceof Error ? err.name : "unknown" }));
  }
}

/**
 * Runs the shadow call once its budget reservation is granted, publishes its event and settles
 * the reservation with its cost (0 when it failed: no answer, no tokens, no label). Refused, or
 * its call failed, it publishes the skip marker instead; answered but not priced or published, it
 * publishes nothing (it is not a skip). Never throws.
 */
export async function runShadow(
  ex: ChatExchange,
  plan: ShadowPlan,
  registry: ModelRegistry,
  run: RunContext,
  publish: (shadowEx: ChatExchange, r: ExchangeResult) => void,
  admit: ShadowAdmission,
  policy: ShadowOutputPolicy,
  now: () => number = Date.now,
): Promise<void> {
  const request = shadowRequest(ex.request, plan.outputCap);
  // Any admission, even one that throws before it returns a promise, ends here as a refusal.
  const grant = await Promise.resolve()
    .then(() => admit(plan, request))
    .catch((): SideCallGrant => ({ ok: false, reason: "budget_unavailable", budget: null }));
  if (!grant.ok) {
    console.warn(JSON.stringify({ level: "warn", msg: "shadow skipped", reason: grant.reason, budget: grant.budget, tier: plan.tier, requestId: ex.requestId }));
    publishSkipped(ex, plan, request, grant.reason, [], now(), publish);
    return;
  }
  const startedAt = now();
  const records: AttemptRecord[] = [];
  let costUsd = 0;
  try {
    // Only the call's own failure is a skip: once it answered, the shadow ran and was paid for, so
    // a failure to price or publish it is logged, never recorded as a call_failed marker at cost 0.
    const answered = await runChat(request, plan.attempts, { ...run, records }, "total").catch((err: unknown) => {
      console.warn(JSON.stringify({ level: "warn", msg: "shadow call failed", tier: plan.tier, requestId: ex.requestId, error: err instanceof Error ? err.name : "unknown" }));
      publishSkipped(ex, plan, request, "call_failed", records.slice(0, 32), now(), publish);
      return null;
    });
    if (answered) {
      try {
        const event = answeredEvent(ex, request, answered, startedAt, registry, policy, now);
        costUsd = event.result.costUsd;
        publish(event.shadowEx, event.result);
      } catch (err) {
        console.error(JSON.stringify({ level: "error", msg: "shadow not published", tier: plan.tier, requestId: ex.requestId, costUsd, error: err instanceof Error ? err.name : "unknown" }));
      }
    }
  } finally {
    // Answered or failed, the reservation ends here; a shadow cut off with its isolate expires with its lease.
    await grant.settle(costUsd).catch(() => undefined);
  }
}

/** An answered shadow's event, priced. */
function answeredEvent(
  ex: ChatExchange, request: ChatCompletionRequest, answered: Awaited<ReturnType<typeof runChat>>, startedAt: number,
  registry: ModelRegistry, policy: ShadowOutputPolicy, now: () => number,
): { shadowEx: ChatExchange; result: ExchangeResult } {
  const { text, error } = policedAnswer(answered.value.response.choices, policy);
  const shadowEx = shadowExchange(ex, request, startedAt, answered.attempt.model, answered.records, { finishReason: answered.value.response.choices[0]?.finish_reason ?? null });
  // Priced on what the model wrote, as the served path prices it, whether or not the policy let it through.
  const written = answerText(answered.value.response.choices);
  const account = accountChat(shadowEx, answered.value.usage, written, answered.attempt.model, registry);
  return { shadowEx, result: { status: error?.status ?? 200, errorCode: error?.code ?? null, ...account, completedAt: now(), ttftMs: null, answer: text } };
}

/**
 * Wraps the request's publisher: once the served answer is published with a 200 and an answer
 * (not a cache hit), the shadow on the tier that did not serve starts in the background: the
 * frontier one when the cheapest tier answered, else the small one. At most one per request.
 */
export function shadowAfterServed(
  ex: ChatExchange,
  plans: ShadowPlans | null,
  publish: (r: ExchangeResult) => void,
  start: (plan: ShadowPlan) => void,
): (r: ExchangeResult) => void {
  if (!plans) return publish;
  return (r) => {
    publish(r);
    const servedBy = ex.answeredBy?.tier;
    if (r.status !== 200 || r.answer === null || ex.cache.startsWith("hit-") || !servedBy) return;
    const plan = servedBy === plans.cheapest ? plans.frontier : plans.small;
    if (plan && plan.tier !== servedBy) start({ ...plan, outputCap: shadowOutputCap(r.usage?.output.total ?? 0) });
  };
}
