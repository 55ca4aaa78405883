/**
 * Everything the tenant's RateLimiter Durable Object decides, in one atomic step per call:
 * the per-minute token buckets first, then the budget reservation. One RPC admits a model
 * call (rate limits + budgets) and one settles it, so budgets cost no extra round trip for
 * tenants that also have limits.
 */
import { z } from "zod";
import { BudgetLedgerCore, ReleaseRequestSchema, ReserveRequestSchema, type ReserveResult } from "./budget-ledger-core";
import { ConsumeRequestSchema, RateLimiterCore, SettleRequestSchema, type ConsumeResult } from "./rate-limiter-core";

export const AdmitRequestSchema = z.object({ rate: ConsumeRequestSchema.optional(), budget: ReserveRequestSchema.optional() });
export type AdmitRequest = z.infer<typeof AdmitRequestSchema>;

export const SettleAdmissionSchema = z.object({ rate: SettleRequestSchema.optional(), budget: ReleaseRequestSchema.optional() });
export type SettleAdmission = z.infer<typeof SettleAdmissionSchema>;

/** `budget` is null when no budget was asked about, or when the rate limit already refused. */
export interface AdmitResult {
  rate: ConsumeResult | null;
  budget: ReserveResult | null;
}

export class TenantLimiterCore {
  readonly rate = new RateLimiterCore();
  readonly budget = new BudgetLedgerCore();

  admit(req: AdmitRequest, now: number): AdmitResult {
    const rate = req.rate && req.rate.checks.length > 0 ? this.rate.consume(req.rate, now) : null;
    if (rate && !rate.ok) return { rate, budget: null };
    return { rate, budget: req.budget ? this.budget.reserve(req.budget, now) : null };
  }

  settle(req: SettleAdmission, now: number): void {
    if (req.rate && req.rate.adjustments.length > 0) this.rate.settle(req.rate, now);
    if (req.budget) this.budget.release(req.budget, now);
  }
}
