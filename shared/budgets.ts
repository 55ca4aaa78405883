/**
 * The one rule both Workers apply to a monthly budget: the spend at which calls charged to it
 * are refused. A `block` budget refuses at its cap; a `downgrade` budget first forces calls
 * onto the cheapest tier and refuses at its ceiling (its own, or DEFAULT_CEILING_RATIO x cap).
 */
export const DEFAULT_CEILING_RATIO = 1.2;

export interface BudgetCapInput {
  policy: "block" | "downgrade";
  monthly_usd: number;
  ceiling_usd: number | null;
}

export function refusalPointUsd(b: BudgetCapInput): number {
  return b.policy === "block" ? b.monthly_usd : (b.ceiling_usd ?? b.monthly_usd * DEFAULT_CEILING_RATIO);
}
