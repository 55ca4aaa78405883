export const BUDGET_SCOPES = ["tenant", "key", "feature"] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];
export const BUDGET_POLICIES = ["block", "downgrade"] as const;
export type BudgetPolicy = (typeof BUDGET_POLICIES)[number];

/** Set in context by the budget middleware; the router reads `downgrade`. */
export interface BudgetDecision {
  downgrade: boolean;
  /** Which budget asked for the downgrade, e.g. `feature:search`. */
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
