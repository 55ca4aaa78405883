/**
 * `rateLimit()`: requests/min and tokens/min per key and per tenant, checked atomically in the
 * tenant's RateLimiter Durable Object (one RPC; skipped entirely when the tenant has no
 * limits). Token limits reserve an estimate now; call `settleTokens(c, actual)` once the
 * upstream reports usage (e.g. in ctx.waitUntil after the stream ends) to correct it.
 * If the limiter is unreachable the request passes (fail open, logged): limits protect
 * capacity, and an outage of the limiter should not become an outage of the gateway.
 */
import type { Context, MiddlewareHandler } from "hono";
import { GatewayError } from "../../../../shared/errors";
import { runInBackground, type AccessContext, type AccessEnv } from "../auth/access-env";
import { durableObjectClient, type RateLimiterClient } from "../limits/rate-limit-client";
import type { ConsumeRequest } from "../limits/rate-limiter-core";
import { estimateTokensFromBody } from "../limits/estimate";
import { peekJsonBody } from "../http/peek-json-body";
import type { RateLimits } from "../auth/key-lookup";

export interface RateLimitOptions {
  client?: (c: AccessContext) => RateLimiterClient;
  estimateTokens?: (c: AccessContext) => Promise<number>;
  failOpen?: boolean;
}

const defaultClient = (c: AccessContext): RateLimiterClient => durableObjectClient(c.env.RATE_LIMITER);

/** Estimates the body's tokens (an invalid body is estimated from its length alone). */
export async function estimateBodyTokens(c: AccessContext): Promise<number> {
  if (c.req.method !== "POST") return 0;
  const body = await peekJsonBody(c);
  return estimateTokensFromBody(body.value, body.text.length);
}

interface Plan {
  consume: ConsumeRequest;
  tokenChecks: { id: string; limitPerMinute: number }[];
  estimatedTokens: number;
}

async function plan(c: AccessContext, limits: RateLimits, keyId: string, estimate: (c: AccessContext) => Promise<number>): Promise<Plan> {
  const checks: ConsumeRequest["checks"] = [];
  if (limits.tenantRequestsPerMinute) checks.push({ id: "tenant:req", limitPerMinute: limits.tenantRequestsPerMinute, cost: 1 });
  if (limits.keyRequestsPerMinute) checks.push({ id: `key:${keyId}:req`, limitPerMinute: limits.keyRequestsPerMinute, cost: 1 });
  const tokenChecks: Plan["tokenChecks"] = [];
  if (limits.tenantTokensPerMinute) tokenChecks.push({ id: "tenant:tok", limitPerMinute: limits.tenantTokensPerMinute });
  if (limits.keyTokensPerMinute) tokenChecks.push({ id: `key:${keyId}:tok`, limitPerMinute: limits.keyTokensPerMinute });
  const estimatedTokens = tokenChecks.length > 0 ? await estimate(c) : 0;
  const charged = estimatedTokens > 0 ? tokenChecks : [];
  for (const t of charged) checks.push({ ...t, cost: estimatedTokens });
  return { consume: { checks }, tokenChecks: charged, estimatedTokens };
}

const describeBucket = (id: string): string => `${id.startsWith("tenant") ? "tenant" : "key"} ${id.endsWith(":tok") ? "tokens" : "requests"} per minute`;

export function rateLimit(options: RateLimitOptions = {}): MiddlewareHandler<AccessEnv> {
  const client = options.client ?? defaultClient;
  const estimate = options.estimateTokens ?? estimateBodyTokens;
  const failOpen = options.failOpen ?? true;
  return async (c, next) => {
    const limits = c.get("limits");
    const { tenantId, keyId } = c.get("auth");
    if (!limits) return next();
    const started = performance.now();
    const p = await plan(c, limits, keyId, estimate);
    if (p.consume.checks.length === 0) return next();
    let result;
    try {
      result = await client(c).consume(tenantId, p.consume);
    } catch (cause) {
      console.warn(JSON.stringify({ event: "rate_limiter_unavailable", requestId: c.get("requestId") ?? null, error: String(cause) }));
      if (!failOpen) throw new GatewayError("control_failed", "Rate limiting is temporarily unavailable.", { cause });
      return next();
    }
    c.get("timing")?.add("ratelimit", performance.now() - started);
    if (!result.ok) {
      throw new GatewayError("rate_limited", `Rate limit reached (${describeBucket(result.id)}). Retry after ${result.retryAfterSeconds} s.`, {
        retryAfterSeconds: result.retryAfterSeconds,
      });
    }
    if (p.tokenChecks.length > 0) c.set("rateLimit", { tenantId, buckets: p.tokenChecks.map((t) => `${t.id}|${t.limitPerMinute}`), estimatedTokens: p.estimatedTokens, settled: false });
    await next();
  };
}

/**
 * Corrects the token reservation with the real usage (input + output tokens). Call once per
 * request after the upstream call; safe to call when nothing was reserved. Runs in the
 * background (ctx.waitUntil) and returns its promise for tests.
 */
export function settleTokens(c: Context, actualTokens: number, options: Pick<RateLimitOptions, "client"> = {}): Promise<void> {
  const ctx = c as AccessContext;
  const r = ctx.get("rateLimit");
  if (!r || r.settled) return Promise.resolve();
  r.settled = true;
  const actual = Math.max(0, actualTokens);
  // Each bucket is corrected by what it was actually charged: consume caps a charge at the
  // bucket's per-minute limit, so refunding the whole estimate (e.g. max_tokens: 100000 against
  // a 10k limit) would hand back tokens never taken and let the real usage go uncounted.
  const adjustments = r.buckets
    .map((b) => {
      const [id = "", limit = "1"] = b.split("|");
      const limitPerMinute = Number(limit);
      return { id, limitPerMinute, delta: actual - Math.min(r.estimatedTokens, limitPerMinute) };
    })
    .filter((a) => a.delta !== 0);
  if (adjustments.length === 0) return Promise.resolve();
  const work = (options.client ?? defaultClient)(ctx).settle(r.tenantId, { adjustments });
  runInBackground(c, work);
  return work.catch(() => undefined);
}
