/**
 * Context variables and bindings the access-control middleware adds on top of app-env.ts
 * (which the lead owns). The lead adds the optional fields below to AppVariables; until then
 * these middlewares are typed against AccessEnv, which Hono intersects with the app's env.
 */
import type { Context } from "hono";
import type { AppVariables, Bindings } from "../app-env";
import type { RateLimits } from "./key-lookup";
import type { BudgetLease, RateLimitReservation } from "../limits/rate-limit-types";
import type { BudgetAlert, BudgetDecision } from "../limits/budget-types";

export interface AccessVariables {
  /** Rate limits of the caller's key and tenant, resolved with the key (auth middleware). */
  limits: RateLimits;
  /** Token reservation to settle after the upstream call (rateLimit middleware). */
  rateLimit?: RateLimitReservation;
  /** Set once this request's rate limits were checked (budget() checks them on model routes). */
  rateChecked?: boolean;
  /** Budget reservation to settle with the call's real cost (budget middleware). */
  budgetLease?: BudgetLease;
  /** For the router: `downgrade` asks for a cheaper tier (budget middleware). */
  budget?: BudgetDecision;
  /** Budgets that crossed 80% this request; the lead puts these on the usage queue. */
  budgetAlerts?: BudgetAlert[];
}

/** Vars and secrets read here; generated Env gains the vars after `wrangler types`. */
export interface AccessBindings {
  /** Comma-separated exact origins allowed by CORS; unset = no CORS headers at all. */
  CORS_ALLOWED_ORIGINS?: string;
  CONTENT_ENCRYPTION_KEYS?: string;
  CONTENT_ENCRYPTION_ACTIVE_KID?: string;
}

export type AccessEnv = { Bindings: Bindings & AccessBindings; Variables: AppVariables & AccessVariables };
export type AccessContext = Context<AccessEnv>;

/** ctx.waitUntil when there is an ExecutionContext (workerd), else let the promise run. */
export function runInBackground(c: Context, promise: Promise<unknown>): void {
  const guarded = promise.catch((err: unknown) => console.error(JSON.stringify({ event: "background_failed", error: String(err) })));
  try {
    c.executionCtx.waitUntil(guarded);
  } catch {
    // Unit tests and app.request() without an ExecutionContext: nothing to extend.
  }
}
