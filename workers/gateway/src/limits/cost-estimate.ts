/**
 * What a call may cost, estimated before it is routed, for the budget reservation. Priced at
 * the most expensive model the call can reach (the model it names, the models of the tier it
 * names, or every model the key may use for `auto`), so a reservation errs high: the router
 * can only pick something cheaper. Tokens are estimated as for rate limits (body chars / 4 +
 * the output cap, 256 when the request sets none; the output cap is clamped to each model's
 * own maximum). The second figure prices the same call on the cheapest tier the key may use:
 * what a call forced down by a downgrade budget reserves.
 */
import { costUsd } from "../../../../shared/pricing";
import type { AuthContext } from "../app-env";
import type { ModelEntry, ModelRegistry } from "../config/model-registry";
import { mayUse } from "../chat/resolve-target";
import { DEFAULT_OUTPUT_TOKENS } from "./estimate";

export interface CostEstimate {
  usd: number;
  downgradedUsd: number;
}

export type CallKind = "chat" | "embeddings";

/** The fields the estimate reads, from a body the route has not validated yet (anything else: absent). */
function fields(body: unknown): { model?: string; outputCap?: number } {
  if (typeof body !== "object" || body === null) return {};
  const b = body as Record<string, unknown>;
  const cap = [b.max_completion_tokens, b.max_tokens].find((v): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0);
  return { ...(typeof b.model === "string" ? { model: b.model } : {}), ...(cap !== undefined ? { outputCap: cap } : {}) };
}

function priceOn(models: readonly ModelEntry[], inputTokens: number, outputCap: number): number {
  let max = 0;
  for (const m of models) {
    const usage = { input: { total: inputTokens, cached: 0 }, output: { total: Math.min(outputCap, m.maxOutputTokens), reasoning: 0 }, source: "none" as const };
    max = Math.max(max, costUsd(usage, m.pricing));
  }
  return max;
}

/** The models this call may be served by, before routing. */
function candidates(registry: ModelRegistry, auth: AuthContext, kind: CallKind, name: string | undefined): ModelEntry[] {
  const allowed = registry.models.filter((m) => mayUse(auth, m) && (kind === "chat" || m.capabilities.embeddings));
  const named = name && name !== "auto" ? registry.model(name) : undefined;
  if (named && named.id === name && allowed.includes(named)) return [named];
  if (name && registry.tier(name)) return allowed.filter((m) => m.tier === name);
  if (named && allowed.includes(named)) return [named];
  return allowed;
}

/** The allowed models of the cheapest tier that has any: where a downgraded call goes. */
export function cheapestAllowedTier(registry: ModelRegistry, auth: AuthContext): string | null {
  for (const t of registry.tiers) if (registry.models.some((m) => m.tier === t.id && mayUse(auth, m))) return t.id;
  return null;
}

export function estimateCallCost(registry: ModelRegistry, auth: AuthContext, kind: CallKind, body: unknown, bodyChars: number): CostEstimate {
  const b = fields(body);
  const inputTokens = Math.ceil(bodyChars / 4);
  const outputCap = kind === "embeddings" ? 0 : (b.outputCap ?? DEFAULT_OUTPUT_TOKENS);
  const models = candidates(registry, auth, kind, b.model);
  const usd = priceOn(models, inputTokens, outputCap);
  if (kind === "embeddings") return { usd, downgradedUsd: usd };
  const cheapest = cheapestAllowedTier(registry, auth);
  const downgraded = cheapest ? registry.models.filter((m) => m.tier === cheapest && mayUse(auth, m)) : [];
  return { usd, downgradedUsd: downgraded.length > 0 ? priceOn(downgraded, inputTokens, outputCap) : usd };
}
