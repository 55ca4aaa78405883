/**
 * Resolves a presented bearer key to an AuthContext.
 *
 * Caching and the 5-second revocation promise: lookups are cached *in the isolate* for at most
 * KEY_CACHE_TTL_MS (4 s), then re-read from D1. KV is not used for lookups on purpose: KV's
 * `cacheTtl` floor is 60 s and its writes propagate eventually (up to ~60 s), so a revoked key
 * could keep working for a minute at some colos. A KV entry would need a fresh D1/DO check per
 * request to be safe, which costs what it saves. 4 s TTL + one D1 read (~ms) < 5 s.
 * Expiry is checked on every request against the cached `expires_at`, so it is exact.
 * Negative results (unknown prefix) are cached too, which blunts forged-key floods; a new key
 * gets a fresh random 60-bit prefix, so a cached miss cannot hide it in practice.
 */
import type { AuthContext } from "../app-env";
import { hashApiKey, parseApiKey, timingSafeEqual } from "./keys";
import { TtlCache } from "../../../../shared/ttl-cache";
import { findKeyByPrefix, type KeyLookupRow } from "./repository";

export const KEY_CACHE_TTL_MS = 4_000;
const MAX_ENTRIES = 10_000;

export interface RateLimits {
  tenantRequestsPerMinute: number | null;
  tenantTokensPerMinute: number | null;
  keyRequestsPerMinute: number | null;
  keyTokensPerMinute: number | null;
  /** Let calls through when the limiter is unreachable (tenant setting; default false: refuse). */
  failOpen: boolean;
}

export interface ResolvedKey {
  auth: AuthContext;
  limits: RateLimits;
}

export type LookupFailure = "malformed" | "unknown" | "mismatch" | "expired" | "revoked";
export type LookupResult = { ok: true; key: ResolvedKey } | { ok: false; reason: LookupFailure; tenantId: string | null };

/** Key rows by prefix, negative results included (see the file comment). */
export class KeyCache {
  private readonly rows: TtlCache<KeyLookupRow | null>;
  constructor(ttlMs = KEY_CACHE_TTL_MS) {
    this.rows = new TtlCache({ ttlMs, maxEntries: MAX_ENTRIES });
  }

  /** Single-flight: concurrent misses for one prefix share one D1 read. */
  get(db: D1Database, prefix: string, now: number): Promise<KeyLookupRow | null> {
    return this.rows.get(prefix, now, () => findKeyByPrefix(db, prefix));
  }

  /** Same-isolate immediate effect for admin revoke/rotate (other isolates wait for the TTL). */
  invalidate(prefix: string): void {
    this.rows.delete(prefix);
  }

  clear(): void {
    this.rows.clear();
  }
}

export const defaultKeyCache = new KeyCache();

function toResolved(row: KeyLookupRow): ResolvedKey {
  return {
    auth: {
      tenantId: row.tenant_id,
      keyId: row.id,
      role: row.role,
      scopes: row.scopes,
      models: row.models,
      tiers: row.tiers,
      features: row.features,
    },
    limits: {
      tenantRequestsPerMinute: row.tenant_requests_per_minute,
      tenantTokensPerMinute: row.tenant_tokens_per_minute,
      keyRequestsPerMinute: row.key_requests_per_minute,
      keyTokensPerMinute: row.key_tokens_per_minute,
      failOpen: row.limiter_fail_mode === "open",
    },
  };
}

// Compared against when the prefix is unknown, so that path also does one hash + one compare.
const DUMMY_HASH = "0".repeat(64);

export async function resolveKey(db: D1Database, presented: string, now: number, cache = defaultKeyCache): Promise<LookupResult> {
  const parsed = parseApiKey(presented);
  if (!parsed) return { ok: false, reason: "malformed", tenantId: null };
  const [hash, row] = await Promise.all([hashApiKey(presented), cache.get(db, parsed.prefix, now)]);
  const matches = timingSafeEqual(hash, row?.key_hash ?? DUMMY_HASH);
  if (!row) return { ok: false, reason: "unknown", tenantId: null };
  if (!matches) return { ok: false, reason: "mismatch", tenantId: row.tenant_id };
  if (row.revoked_at !== null && row.revoked_at <= now) return { ok: false, reason: "revoked", tenantId: row.tenant_id };
  if (row.expires_at !== null && row.expires_at <= now) return { ok: false, reason: "expired", tenantId: row.tenant_id };
  return { ok: true, key: toResolved(row) };
}
