/**
 * Token buckets for per-minute limits, the state machine inside the RateLimiter Durable Object
 * (one object per tenant holds the tenant's buckets and its keys' buckets, so one RPC checks
 * all four limits atomically). A bucket's capacity is the per-minute limit and it refills
 * continuously at limit/60 per second, which smooths bursts better than fixed windows.
 * Token reservations may push a bucket negative when `settle` learns the real usage was
 * larger: the debt delays later requests instead of being forgiven.
 */
import { z } from "zod";

export const CheckSchema = z.object({
  id: z.string().min(1).max(200),
  limitPerMinute: z.number().int().positive(),
  cost: z.number().nonnegative(),
});
export const ConsumeRequestSchema = z.object({ checks: z.array(CheckSchema).max(16) });
export type ConsumeRequest = z.infer<typeof ConsumeRequestSchema>;

export const SettleRequestSchema = z.object({
  adjustments: z.array(z.object({ id: z.string().min(1).max(200), limitPerMinute: z.number().int().positive(), delta: z.number() })).max(16),
});
export type SettleRequest = z.infer<typeof SettleRequestSchema>;

/** A bucket after the check, for `x-ratelimit-*` headers. */
export interface BucketState {
  id: string;
  limit: number;
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
}

export type ConsumeResult = ({ ok: true } | { ok: false; id: string; retryAfterSeconds: number }) & { buckets?: BucketState[] };

interface Bucket {
  tokens: number;
  at: number;
  limit: number;
}

const MAX_BUCKETS = 5_000;

function state(id: string, b: Bucket): BucketState {
  return { id, limit: b.limit, remaining: Math.max(0, Math.floor(b.tokens)), resetSeconds: Math.max(0, ((b.limit - b.tokens) / b.limit) * 60) };
}

export class RateLimiterCore {
  private readonly buckets = new Map<string, Bucket>();

  private current(id: string, limit: number, now: number): Bucket {
    const b = this.buckets.get(id);
    // A changed limit starts from a full bucket at the new size.
    if (!b || b.limit !== limit) return { tokens: limit, at: now, limit };
    const refilled = b.tokens + ((now - b.at) / 60_000) * limit;
    return { tokens: Math.min(limit, refilled), at: Math.max(now, b.at), limit };
  }

  /** All-or-nothing: either every check has room and all are charged, or none is. */
  consume(req: ConsumeRequest, now: number): ConsumeResult {
    const next = req.checks.map((c) => ({ check: c, bucket: this.current(c.id, c.limitPerMinute, now) }));
    let worst: { id: string; wait: number } | null = null;
    for (const { check, bucket } of next) {
      // A single request larger than the whole minute's allowance may pass from a full bucket.
      const cost = Math.min(check.cost, check.limitPerMinute);
      if (bucket.tokens < cost) {
        const wait = ((cost - bucket.tokens) / check.limitPerMinute) * 60;
        if (!worst || wait > worst.wait) worst = { id: check.id, wait };
      }
    }
    if (worst) return { ok: false, id: worst.id, retryAfterSeconds: Math.max(1, Math.ceil(worst.wait)), buckets: next.map(({ bucket, check }) => state(check.id, bucket)) };
    const charged = next.map(({ check, bucket }) => ({ check, bucket: { ...bucket, tokens: bucket.tokens - Math.min(check.cost, check.limitPerMinute) } }));
    for (const { check, bucket } of charged) this.buckets.set(check.id, bucket);
    this.prune(now);
    return { ok: true, buckets: charged.map(({ bucket, check }) => state(check.id, bucket)) };
  }

  /** Charges (delta > 0) or refunds (delta < 0) the difference between actual and estimate. */
  settle(req: SettleRequest, now: number): void {
    for (const a of req.adjustments) {
      const b = this.current(a.id, a.limitPerMinute, now);
      this.buckets.set(a.id, { ...b, tokens: Math.min(b.limit, b.tokens - a.delta) });
    }
  }

  /** Full buckets carry no information; drop them when the map grows. */
  private prune(now: number): void {
    if (this.buckets.size <= MAX_BUCKETS) return;
    for (const [id, b] of this.buckets) if (this.current(id, b.limit, now).tokens >= b.limit) this.buckets.delete(id);
  }

  size(): number {
    return this.buckets.size;
  }
}
