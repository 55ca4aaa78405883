/**
 * What an exceeded `downgrade` budget does to a chat call (docs/access-control.md, Budgets):
 * every call is served on the cheapest tier the key may use, whatever it asked for: an
 * explicit model of a stronger tier, a stronger tier's name, or `auto` (no escalation, no
 * cascade). An explicit model already on that tier is honoured. The answer names the budget in
 * `x-budget-downgrade` and the trace records what was asked for. Past the budget's ceiling the
 * budget middleware refuses the call instead.
 */
import { GatewayError } from "../../../../shared/errors";
import type { AuthContext } from "../app-env";
import type { ModelRegistry } from "../config/model-registry";
import type { BudgetDecision } from "../limits/budget-types";
import { cheapestAllowedTier } from "../limits/cost-estimate";
import type { ChatExchange } from "./exchange";
import type { RequestedTarget } from "./resolve-target";

export interface Downgrade {
  /** The tier the call is forced onto. */
  tier: string;
  /** The budget that forced it, e.g. `key:key_abc`. */
  budget: string;
}

export function budgetDowngrade(decision: BudgetDecision | undefined, requested: RequestedTarget, registry: ModelRegistry, auth: AuthContext): Downgrade | null {
  if (!decision?.downgrade) return null;
  const tier = cheapestAllowedTier(registry, auth);
  if (!tier) return null;
  if (requested.kind === "model" && requested.model.tier === tier) return null;
  if (requested.kind === "tier" && requested.tier === tier) return null;
  return { tier, budget: decision.budget ?? "budget" };
}

/** Records the downgrade on the exchange: header for the client, decision for the trace. */
export function recordDowngrade(ex: ChatExchange, d: Downgrade, requested: RequestedTarget): void {
  ex.headers["x-budget-downgrade"] = d.budget;
  const asked = requested.kind === "model" ? requested.model.id : requested.kind === "tier" ? requested.tier : "auto";
  ex.decisions.budgetDowngrade = { budget: d.budget, requested: asked, tier: d.tier };
}

/** The cheapest tier cannot serve this request (output cap, tools): say why, not "no model". */
export function downgradeUnservable(d: Downgrade): GatewayError {
  return new GatewayError(
    "budget_exceeded",
    `Monthly budget exceeded: ${d.budget}. Calls are limited to the ${d.tier} tier until the budget resets, and no ${d.tier} model can serve this request (check max_tokens and tools).`,
  );
}
