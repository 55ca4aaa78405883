/**
 * The RateLimiter Durable Object (SQLite-backed class in wrangler.toml; the gateway's
 * index.ts re-exports it). One object per tenant (`idFromName(tenantId)`), so every isolate
 * in every colo sees the same counters. State lives in memory: a DO evicted after idling has
 * refilled buckets anyway, so persisting every request would cost writes for nothing.
 */
import { DurableObject } from "cloudflare:workers";
import { ConsumeRequestSchema, RateLimiterCore, SettleRequestSchema, type ConsumeResult } from "./rate-limiter-core";

export class RateLimiter extends DurableObject {
  private readonly core = new RateLimiterCore();

  async consume(request: unknown): Promise<ConsumeResult> {
    return this.core.consume(ConsumeRequestSchema.parse(request), Date.now());
  }

  async settle(request: unknown): Promise<void> {
    this.core.settle(SettleRequestSchema.parse(request), Date.now());
  }
}
