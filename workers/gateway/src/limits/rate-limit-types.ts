/** What the rate-limit middleware leaves in context for `settleAdmission` after the upstream call. */
export interface RateLimitReservation {
  tenantId: string;
  /** Bucket ids in the tenant's RateLimiter object that were charged the estimate. */
  buckets: string[];
  estimatedTokens: number;
  settled: boolean;
}

/** A budget reservation held in the tenant's RateLimiter object until the call settles. */
export interface BudgetLease {
  tenantId: string;
  leaseId: string;
  /** Start of the UTC month the reservation was made in. */
  month: number;
  /** Names of the budgets charged (`tenant`, `key:<id>`, `feature:<name>`). */
  budgets: string[];
  reservedUsd: number;
  /** Spent by side calls of this request (a rejected cascade draft), settled with it. */
  extraUsd: number;
  settled: boolean;
}
