/**
 * Who may hand out or change which powers: one rule for every admin path that yields or changes
 * a key's powers or a tenant's controls (docs/access-control.md, "Managing what you could mint").
 *
 * - Keys: a caller creates, rotates, revokes or sets a key-scoped budget only for a key it could
 *   itself have minted: scopes from its own (operators may grant any), where the caller is
 *   limited to some models/tiers/features allow-lists that are a subset of its own, and where
 *   the caller expires an expiry no later than its own. Rotation
 *   hands out a fresh secret with the old grants, so it is minting; revocation and key budgets
 *   act on a key the caller might not be allowed to hold, so they follow the same rule.
 * - Feature-wide controls (feature budgets, feature settings) bind every key that calls with
 *   that feature, whatever its models and tiers: a caller limited to some models or tiers may not
 *   change them, and a caller limited to some features only changes its own features'.
 * - Tenant-wide controls (tenant budget, rate limits, tenant-wide settings, alert rules) and the
 *   tenant-wide content export need a caller with no allow-list at all.
 * Tightening counts as changing: lowering a shared budget to 0 is a denial of service on keys
 * the caller could not have minted, just as revoking them would be.
 */
import type { AuthContext } from "../app-env";
import type { KeySummary } from "./repository";

export type Caller = Pick<AuthContext, "scopes" | "models" | "tiers" | "features">;

/** The caller and whether it holds the operator scope (which waives only the scope check). */
export interface Grantor {
  auth: Caller;
  operator: boolean;
  /** The calling key's expiry (ms); null = never. Omitted where no key is made or managed. */
  expiresAt?: number | null;
}

/** What a key holds; an omitted (or null) list means unrestricted, a null expiry never ends. */
export interface Grants {
  scopes?: readonly string[];
  models?: readonly string[] | null;
  tiers?: readonly string[] | null;
  features?: readonly string[] | null;
  expiresAt?: number | null;
}

export interface Violation {
  param: string | null;
  message: string;
}

const LISTS = ["models", "tiers", "features"] as const;

/**
 * Why `caller` may not mint a key holding `wanted`, or null. Without this a tenant admin could
 * mint itself `tenants:manage` and act on every tenant.
 */
export function grantViolation(by: Grantor, wanted: Grants): Violation | null {
  const caller = by.auth;
  if (!by.operator) {
    const extra = (wanted.scopes ?? []).filter((s) => !caller.scopes.includes(s));
    if (extra.length > 0) return { param: "scopes", message: `This key may not grant scopes it does not hold: ${extra.join(", ")}.` };
  }
  for (const field of LISTS) {
    const own = caller[field];
    if (own === null) continue;
    const list = wanted[field];
    if (list === undefined || list === null) return { param: field, message: `This key is limited to some ${field}; the new key must name a subset of them.` };
    const extra = list.filter((v) => !own.includes(v));
    if (extra.length > 0) return { param: field, message: `This key may not grant ${field} it cannot use: ${extra.join(", ")}.` };
  }
  // Time is a power too: an expiring key must not mint (or rotate into) one that outlives it.
  const end = by.expiresAt ?? null;
  if (end !== null && (wanted.expiresAt == null || wanted.expiresAt > end)) {
    return { param: "expires_at", message: `This key expires at ${new Date(end).toISOString()}; the new key must expire no later.` };
  }
  return null;
}

/** Why `by` may not rotate, revoke or budget `key` (a key it could not have minted), or null. */
export function manageKeyViolation(by: Grantor, key: Pick<KeySummary, "scopes" | "models" | "tiers" | "features" | "expires_at">): Violation | null {
  const v = grantViolation(by, { scopes: key.scopes, models: key.models, tiers: key.tiers, features: key.features, expiresAt: key.expires_at });
  if (!v) return null;
  return { param: v.param, message: `This key may only manage keys it could have created, and that key holds ${v.param} this key may not grant.` };
}

export const isRestricted = (caller: Caller): boolean => LISTS.some((f) => caller[f] !== null);

/** Tenant-wide controls and exports: only for callers without allow-lists. */
export function tenantControlViolation(by: Grantor): Violation | null {
  if (!isRestricted(by.auth)) return null;
  return { param: null, message: "A key limited to some models, tiers or features may not change or export tenant-wide controls and data; use an unrestricted admin key." };
}

/** Controls of one feature: for callers unrestricted in models and tiers and allowed that feature. */
export function featureControlViolation(by: Grantor, feature: string): Violation | null {
  if (by.auth.models !== null || by.auth.tiers !== null) {
    return { param: null, message: "A key limited to some models or tiers may not change feature-wide controls, which bind every model and tier." };
  }
  if (by.auth.features !== null && !by.auth.features.includes(feature)) {
    return { param: null, message: `This key may not change the controls of feature ${JSON.stringify(feature)}.` };
  }
  return null;
}
