/**
 * End-user identifiers are replaced by their per-tenant pseudonym as soon as a request is
 * parsed (shared/end-user.ts has the format and why): the upstream, the cache's end-user scope,
 * the usage event, the ledger and traces all see `eu_…` and never the client's value.
 * Synchronous (shared/crypto/sha256.ts hmacSha256): three short strings per request at most.
 */
import { bytesToHex as toHex, hmacSha256 } from "../../../../shared/crypto/sha256";

/** Fields that identify an end user: OpenAI's `user` and its two successors. */
export const END_USER_FIELDS = ["user", "safety_identifier", "prompt_cache_key"] as const;
type EndUserFields = Partial<Record<(typeof END_USER_FIELDS)[number], string>>;

/**
 * Without END_USER_HASH_KEY (local stacks, tests) the per-tenant key is derived from this
 * public label: still one pseudonym per end user and tenant, unlinkable across tenants, but a
 * guessed identifier could be confirmed by anyone who knows the tenant id. Production sets the secret.
 */
const UNKEYED = "llm-gateway end-user pseudonym v1";

const tenantKeys = new Map<string, string>();
const MAX_TENANT_KEYS = 10_000;

function tenantKey(secret: string | undefined, tenantId: string): string {
  const id = `${secret ?? ""}\u0000${tenantId}`;
  let key = tenantKeys.get(id);
  if (key === undefined) {
    key = toHex(hmacSha256(secret || UNKEYED, `end-user\u0000${tenantId}`));
    if (tenantKeys.size >= MAX_TENANT_KEYS) tenantKeys.clear();
    tenantKeys.set(id, key);
  }
  return key;
}

export function endUserPseudonym(value: string, tenantId: string, secret: string | undefined): string {
  return `eu_${toHex(hmacSha256(tenantKey(secret, tenantId), value)).slice(0, 32)}`;
}

/** The Worker secret, if configured. */
export function endUserSecret(env: object): string | undefined {
  const value = (env as Record<string, unknown>).END_USER_HASH_KEY;
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A copy with each end-user field pseudonymized; an empty one is dropped (it names nobody). */
export function pseudonymizeEndUsers<T extends EndUserFields>(request: T, tenantId: string, secret: string | undefined): T {
  if (!END_USER_FIELDS.some((f) => request[f] !== undefined)) return request;
  const out: T = { ...request };
  for (const f of END_USER_FIELDS) {
    const value = request[f];
    if (value === undefined) continue;
    if (value === "") delete out[f];
    else out[f] = endUserPseudonym(value, tenantId, secret);
  }
  return out;
}
