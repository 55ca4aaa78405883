/**
 * Pure mapping from a usage event to its ledger row, with cost attribution: tokens x the price
 * in force at completion (versioned table), falling back to the gateway's own costUsd when the
 * model has no price row. Cache hits made no upstream call, so they cost nothing and avoid the
 * whole counterfactual. Calls the gateway made because of a request (an escalated cascade draft,
 * a shadow call) have no counterfactual and book no cost avoided of their own: they are extra
 * spend, which the reports net from their request's saving (GET /v1/usage subtracts the 'draft'
 * and 'shadow' rollups' cost, usage/query-usage.ts). Netting there, not by booking a negative
 * amount on the row, keeps every row's cost avoided a per-call fact, keeps the metrics'
 * cost-avoided counters from running backwards, and corrects hours rolled up before it too.
 */
import { costUsd } from "../../../../shared/pricing";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import type { TokenUsage } from "../../../../shared/usage";
import type { PriceBook } from "../pricing/price-book";

export const HOUR_MS = 3_600_000;
export const hourOf = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;

export interface LedgerRow {
  requestId: string;
  tenantId: string;
  kind: "request" | "judge";
  parentRequestId: string | null;
  keyId: string;
  feature: string;
  endUser: string | null;
  requestedModel: string | null;
  model: string;
  tier: string;
  upstream: string | null;
  status: number;
  errorCode: string | null;
  cacheStatus: string;
  usage: TokenUsage;
  costUsd: number;
  priceSource: "table" | "event";
  counterfactualCostUsd: number | null;
  costAvoidedUsd: number;
  latencyMs: number;
  ttftMs: number | null;
  routeComplexity: number | null;
  routeIntent: string | null;
  receivedAt: number;
  completedAt: number;
  /** The prompt version the request was rendered from (GET /v1/prompts/:id/compare groups by it). */
  prompt?: { id: string; version: number } | null;
}

export interface RouteFacts {
  complexity: number | null;
  intent: string | null;
}

/**
 * A cascade draft the verifier rejected (`<id>:draft`, decisions.cascadeDraftOf = <id>): a
 * model call the gateway made because of request <id>, billed but never shown to the client.
 * Its ledger row points at that request (parent_request_id, like a judge call), its rollup is
 * kind 'draft' (ledger-statements.ts), so /v1/usage bills it without counting it as a request.
 */
export function draftParent(decisions: Record<string, unknown>): string | null {
  const parent = decisions["cascadeDraftOf"];
  return typeof parent === "string" && parent.length > 0 ? parent.slice(0, 256) : null;
}

/**
 * A shadow call (`<id>:shadow`, decisions.shadowOf = <id>; the gateway's chat/shadow-tier.ts):
 * the tier that did not serve <id> asked the same redacted request in the background so
 * the judges can say whether it would have done. Billed like a draft: its ledger row points at
 * request <id>; its rollup is kind 'shadow' (inference spend, not a client request, reported
 * on its own as monitoring spend).
 */
export function shadowParent(decisions: Record<string, unknown>): string | null {
  const parent = decisions["shadowOf"];
  return typeof parent === "string" && parent.length > 0 ? parent.slice(0, 256) : null;
}

/** The request a gateway-made model call (a cascade draft or a shadow) was made for, or null. */
export const derivedParent = (decisions: Record<string, unknown>): string | null => draftParent(decisions) ?? shadowParent(decisions);

export const SHADOW_SUFFIX = ":shadow";

/** The error code of a drawn shadow that produced no answer (the gateway's chat/shadow-tier.ts marker). */
export const SHADOW_SKIPPED = "shadow_skipped";

/**
 * A row's rollup kind: a gateway-made call (a 'request' row with a parent) is 'shadow' (told by
 * its `<id>:shadow` id, as the exports tell it), 'shadow_skipped' (a shadow's skip marker: no
 * call was made or it failed, so it is not counted among the shadow calls) or 'draft'; others
 * keep their kind. The SQL twin is ledger-statements.ts ROLLUP_KIND.
 */
export function rollupKind(row: Pick<LedgerRow, "kind" | "parentRequestId" | "requestId" | "errorCode">): string {
  if (row.kind !== "request" || row.parentRequestId === null) return row.kind;
  if (!row.requestId.endsWith(SHADOW_SUFFIX)) return "draft";
  return row.errorCode === SHADOW_SKIPPED ? SHADOW_SKIPPED : "shadow";
}

/** event.decisions is free-form JSON; read only what is well-typed. */
export function routeFacts(decisions: Record<string, unknown>): RouteFacts {
  const route = decisions["route"];
  if (typeof route !== "object" || route === null) return { complexity: null, intent: null };
  const r = route as Record<string, unknown>;
  const complexity = typeof r["complexity"] === "number" && r["complexity"] >= 0 && r["complexity"] <= 1 ? r["complexity"] : null;
  const intent = typeof r["intent"] === "string" ? r["intent"].slice(0, 64) : null;
  return { complexity, intent };
}

const round = (usd: number): number => Math.round(usd * 1e10) / 1e10;

function actualCost(event: UsageEvent, book: PriceBook): { cost: number; source: "table" | "event" } {
  if (event.cache === "hit-exact" || event.cache === "hit-semantic") return { cost: 0, source: "table" };
  const pricing = event.model ? book.priceAt(event.tenantId, event.model, event.completedAt) : undefined;
  return pricing ? { cost: costUsd(event.usage, pricing), source: "table" } : { cost: event.costUsd, source: "event" };
}

function counterfactualCost(event: UsageEvent, book: PriceBook, counterfactualModel: string | undefined): number | null {
  const pricing = counterfactualModel ? book.priceAt(event.tenantId, counterfactualModel, event.completedAt) : undefined;
  if (pricing && event.usage.source !== "none") return costUsd(event.usage, pricing);
  return event.counterfactualCostUsd ?? null;
}

export function ledgerRowFromEvent(event: UsageEvent, book: PriceBook, counterfactualModel?: string): LedgerRow {
  const { cost, source } = actualCost(event, book);
  const parent = derivedParent(event.decisions);
  // A draft or shadow call is spend on top of its request (which has its own counterfactual):
  // nothing would have been asked of the frontier in its place, so it avoids nothing itself;
  // its cost is netted from the request's saving where savings are reported (see the top).
  const counterfactual = parent === null ? counterfactualCost(event, book, counterfactualModel) : null;
  const facts = routeFacts(event.decisions);
  return {
    requestId: event.requestId,
    tenantId: event.tenantId,
    kind: "request",
    parentRequestId: parent,
    keyId: event.keyId,
    feature: event.feature ?? "",
    endUser: event.endUser,
    requestedModel: event.requestedModel,
    model: event.model ?? "",
    tier: event.tier ?? "",
    upstream: event.upstream,
    status: event.status,
    errorCode: event.errorCode,
    cacheStatus: event.cache,
    usage: event.usage,
    costUsd: round(cost),
    priceSource: source,
    counterfactualCostUsd: counterfactual === null ? null : round(counterfactual),
    costAvoidedUsd: counterfactual === null ? 0 : round(counterfactual - cost),
    latencyMs: event.latencyMs,
    ttftMs: event.ttftMs,
    routeComplexity: facts.complexity,
    routeIntent: facts.intent,
    receivedAt: event.receivedAt,
    completedAt: event.completedAt,
    prompt: event.prompt ?? null,
  };
}
