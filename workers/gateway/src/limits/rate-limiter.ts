/**
 * The RateLimiter Durable Object (SQLite-backed class in wrangler.toml; the gateway's
 * index.ts re-exports it). One object per tenant (`idFromName(tenantId)`), so every isolate
 * in every colo sees the same counters and budget reservations. State lives in memory: a DO
 * evicted after idling has refilled buckets anyway, and budget spend is re-seeded from the
 * rollups (see budget-ledger-core.ts), so persisting every request would cost writes for little.
 */
import { DurableObject } from "cloudflare:workers";
import { AdmitRequestSchema, SettleAdmissionSchema, TenantLimiterCore, type AdmitResult } from "./tenant-limiter-core";

export class RateLimiter extends DurableObject {
  private readonly core = new TenantLimiterCore();

  async admit(request: unknown): Promise<AdmitResult> {
    return this.core.admit(AdmitRequestSchema.parse(request), Date.now());
  }

  async settle(request: unknown): Promise<void> {
    this.core.settle(SettleAdmissionSchema.parse(request), Date.now());
  }
}
