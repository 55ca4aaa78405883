/**
 * `rateLimit()`: requests/min and tokens/min per key and per tenant, checked atomically in the
 * tenant's RateLimiter Durable Object (one RPC; skipped entirely when the tenant has no
 * limits). On model routes `budget()` makes the same check in its one RPC, and this middleware
 * then does nothing. Token limits reserve an estimate now; `settleAdmission(c, ...)` corrects
 * it once the upstream reports usage (e.g. in ctx.waitUntil after the stream ends).
 * Answers carry OpenAI's `x-ratelimit-*` headers, 429s included.
 * If the limiter is unreachable the tenant's `limiter_fail_mode` decides: `closed` (the
 * default) refuses with 503, `open` lets the call through and logs a warning.
 */
import type { Context, MiddlewareHandler } from "hono";
import { GatewayError } from "../../../../shared/errors";
import type { AccessContext, AccessEnv } from "../auth/access-env";
import { defaultLimiterClient, type RateLimiterClient } from "../limits/rate-limit-client";
import { rateLimitHeaders } from "../limits/rate-limit-headers";
import type { ConsumeRequest, ConsumeResult } from "../limits/rate-limiter-core";
import { estimateTokensFromBody } from "../limits/estimate";
import { peekJsonBody } from "../http/peek-json-body";
import type { RateLimits } from "../auth/key-lookup";
import { settleAdmission } from "./settle-admission";

export interface RateLimitOptions {
  client?: (c: AccessContext) => RateLimiterClient;
  estimateTokens?: (c: AccessContext) => Promise<number>;
  /** Overrides every tenant's `limiter_fail_mode` (tests, benchmarks). */
  failOpen?: boolean;
}

/** Estimates the body's tokens (an invalid body is estimated from its length alone). */
export async function estimateBodyTokens(c: AccessContext): Promise<number> {
  if (c.req.method !== "POST") return 0;
  const body = await peekJsonBody(c);
  return estimateTokensFromBody(body.value, body.text.length);
}

export interface RatePlan {
  consume: ConsumeRequest;
  tokenChecks: { id: string; limitPerMinute: number }[];
  estimatedTokens: number;
}

export async function ratePlan(c: AccessContext, limits: RateLimits, keyId: string, estimate: (c: AccessContext) => Promise<number>): Promise<RatePlan> {
  const checks: ConsumeRequest["checks"] = [];
  if (limits.tenantRequestsPerMinute) checks.push({ id: "tenant:req", limitPerMinute: limits.tenantRequestsPerMinute, cost: 1 });
  if (limits.keyRequestsPerMinute) checks.push({ id: `key:${keyId}:req`, limitPerMinute: limits.keyRequestsPerMinute, cost: 1 });
  const tokenChecks: RatePlan["tokenChecks"] = [];
  if (limits.tenantTokensPerMinute) tokenChecks.push({ id: "tenant:tok", limitPerMinute: limits.tenantTokensPerMinute });
  if (limits.keyTokensPerMinute) tokenChecks.push({ id: `key:${keyId}:tok`, limitPerMinute: limits.keyTokensPerMinute });
  const estimatedTokens = tokenChecks.length > 0 ? await estimate(c) : 0;
  const charged = estimatedTokens > 0 ? tokenChecks : [];
  for (const t of charged) checks.push({ ...t, cost: estimatedTokens });
  return { consume: { checks }, tokenChecks: charged, estimatedTokens };
}

const describeBucket = (id: string): string => `${id.startsWith("tenant") ? "tenant" : "key"} ${id.endsWith(":tok") ? "tokens" : "requests"} per minute`;

/**
 * Applies the limiter's answer: a refusal becomes 429 with Retry-After and `x-ratelimit-*`;
 * an admission records the token reservation. Returns the headers for the eventual answer.
 */
export function applyRateResult(c: AccessContext, plan: RatePlan, result: ConsumeResult | null): Record<string, string> {
  c.set("rateChecked", true);
  if (!result) return {};
  const headers = rateLimitHeaders(result.buckets);
  if (!result.ok) {
    throw new GatewayError("rate_limited", `Rate limit reached (${describeBucket(result.id)}). Retry after ${result.retryAfterSeconds} s.`, {
      retryAfterSeconds: result.retryAfterSeconds,
      headers,
    });
  }
  if (plan.tokenChecks.length > 0) {
    const { tenantId } = c.get("auth");
    c.set("rateLimit", { tenantId, buckets: plan.tokenChecks.map((t) => `${t.id}|${t.limitPerMinute}`), estimatedTokens: plan.estimatedTokens, settled: false });
  }
  return headers;
}

/** The limiter could not be asked: refuse (fail closed) unless the tenant chose to fail open. */
export function limiterUnavailable(c: AccessContext, cause: unknown, failOpen: boolean): void {
  console.warn(JSON.stringify({ event: "rate_limiter_unavailable", requestId: c.get("requestId") ?? null, failOpen, error: String(cause) }));
  c.set("rateChecked", true);
  if (!failOpen) throw new GatewayError("control_failed", "Rate limiting is temporarily unavailable.", { cause });
}

/** Adds headers to whatever answer the rest of the chain produced (a stream included). */
export function addHeaders(c: Context, headers: Record<string, string>): void {
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
}

export function rateLimit(options: RateLimitOptions = {}): MiddlewareHandler<AccessEnv> {
  const client = options.client ?? defaultLimiterClient;
  const estimate = options.estimateTokens ?? estimateBodyTokens;
  return async (c, next) => {
    const limits = c.get("limits");
    if (!limits || c.get("rateChecked")) return next();
    const { tenantId, keyId } = c.get("auth");
    const started = performance.now();
    const p = await ratePlan(c, limits, keyId, estimate);
    if (p.consume.checks.length === 0) return next();
    let result;
    try {
      result = (await client(c).admit(tenantId, { rate: p.consume })).rate;
    } catch (cause) {
      limiterUnavailable(c, cause, options.failOpen ?? limits.failOpen);
      return next();
    }
    c.get("timing")?.add("ratelimit", performance.now() - started);
    const headers = applyRateResult(c, p, result);
    await next();
    addHeaders(c, headers);
  };
}

/**
 * Corrects the token reservation with the real usage (input + output tokens). Kept for callers
 * that only know tokens; `settleAdmission` settles tokens and budget spend in one RPC.
 */
export function settleTokens(c: Context, actualTokens: number, options: Pick<RateLimitOptions, "client"> = {}): Promise<void> {
  return settleAdmission(c, { tokens: actualTokens, costUsd: null }, options.client);
}
