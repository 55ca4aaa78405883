export const BUDGET_SCOPES = ["tenant", "key", "feature"] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];
export const BUDGET_POLICIES = ["block", "downgrade"] as const;
export type BudgetPolicy = (typeof BUDGET_POLICIES)[number];
export const LIMITER_FAIL_MODES = ["open", "closed"] as const;
export type LimiterFailMode = (typeof LIMITER_FAIL_MODES)[number];

/**
 * Set in context by the budget middleware. `downgrade`: a downgrade budget is past its cap, so
 * the chat pipeline serves the call on the cheapest tier the key may use, whatever it asked for.
 */
export interface BudgetDecision {
  downgrade: boolean;
  /** Which budget forced the downgrade, e.g. `feature:search`. */
  budget?: string;
}

/** Marker for the usage queue when a budget crosses its alert threshold (once per month). */
export interface BudgetAlert {
  type: "budget_alert";
  tenantId: string;
  budget: string;
  month: string;
  spentUsd: number;
  limitUsd: number;
  ratio: number;
}
