/**
 * `auth()`: `Authorization: Bearer <key>` -> AuthContext in `c.var.auth`.
 * Missing, malformed, forged, expired and revoked keys all get the same 401 with the same
 * message, so a caller learns nothing about which keys exist. The reason goes to the log
 * (never the key itself) and bursts of failures to the audit log.
 */
import type { MiddlewareHandler } from "hono";
import { GatewayError } from "../../../../shared/errors";
import { runInBackground, type AccessContext, type AccessEnv } from "../auth/access-env";
import { defaultFailureTracker, type FailureTracker } from "../auth/failure-tracker";
import { defaultKeyCache, resolveKey, type KeyCache, type LookupResult } from "../auth/key-lookup";
import { useAuditChainKey } from "../../../../shared/audit/chain-key";
import { appendAudit } from "../../../../shared/audit/hash-chain";

export const UNAUTHORIZED_MESSAGE = "Invalid or missing API key.";

export interface AuthOptions {
  now?: () => number;
  cache?: KeyCache;
  failures?: FailureTracker;
}

/** RFC 6750 bearer token; the scheme is case-insensitive (RFC 7235 §2.1). */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return m?.[1] ?? null;
}

function onFailure(c: AccessContext, result: Extract<LookupResult, { ok: false }> | { reason: "missing"; tenantId: null }, now: number, tracker: FailureTracker): never {
  const client = c.req.header("cf-connecting-ip") ?? "unknown";
  console.warn(JSON.stringify({ event: "auth_failed", reason: result.reason, requestId: c.get("requestId") ?? null }));
  const burst = tracker.record(client, now);
  if (burst !== null && c.env.DB) {
    const event = { action: "auth.failure_burst", actor: null, target: client, detail: { failures: burst, lastReason: result.reason } };
    runInBackground(c, appendAudit(c.env.DB, result.tenantId, event, now));
  }
  throw new GatewayError("unauthorized", UNAUTHORIZED_MESSAGE, { headers: { "WWW-Authenticate": 'Bearer realm="gateway"' } });
}

export function auth(options: AuthOptions = {}): MiddlewareHandler<AccessEnv> {
  const clock = options.now ?? Date.now;
  const cache = options.cache ?? defaultKeyCache;
  const tracker = options.failures ?? defaultFailureTracker;
  return async (c, next) => {
    // Every audit row this request appends (auth bursts, budgets, guardrails, admin) is keyed.
    useAuditChainKey(c.env.DB, c.env);
    const started = performance.now();
    const now = clock();
    const presented = bearerToken(c.req.header("authorization"));
    if (presented === null) onFailure(c, { reason: "missing", tenantId: null }, now, tracker);
    let result: LookupResult;
    try {
      result = await resolveKey(c.env.DB, presented, now, cache);
    } catch (cause) {
      // Fail closed: no key store, no access. 503 so clients retry rather than drop the key.
      throw new GatewayError("control_failed", "Authentication is temporarily unavailable.", { cause });
    }
    c.get("timing")?.add("auth", performance.now() - started);
    if (!result.ok) onFailure(c, result, now, tracker);
    c.set("auth", result.key.auth);
    c.set("limits", result.key.limits);
    await next();
  };
}
