/** What the rate-limit middleware leaves in context for `settleTokens` after the upstream call. */
export interface RateLimitReservation {
  tenantId: string;
  /** Bucket ids in the tenant's RateLimiter object that were charged the estimate. */
  buckets: string[];
  estimatedTokens: number;
  settled: boolean;
}
