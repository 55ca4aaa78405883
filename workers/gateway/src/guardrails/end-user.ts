/**
 * End-user identifiers are replaced by their per-tenant pseudonym as soon as a request is
 * parsed (shared/end-user.ts has the format and why): the upstream, the cache's end-user scope,
 * the usage event, the ledger and traces all see `eu_…` and never the client's value.
 * Synchronous (shared/crypto/sha256.ts hmacSha256): three short strings per request at most.
 */
import { z } from "zod";
import { bytesToHex as toHex, hmacSha256 } from "../../../../shared/crypto/sha256";
import { GatewayError } from "../../../../shared/errors";
import { secretState, type SecretSpec } from "../config/deployment-secret";

/** Fields that identify an end user: OpenAI's `user` and its two successors. */
export const END_USER_FIELDS = ["user", "safety_identifier", "prompt_cache_key"] as const;
type EndUserFields = Partial<Record<(typeof END_USER_FIELDS)[number], string>>;

/**
 * Without END_USER_HASH_KEY, local stacks and tests (config/deployment-secret.ts) derive the
 * per-tenant key from this public label: still one pseudonym per end user and tenant,
 * unlinkable across tenants, but a guessed identifier could be confirmed by anyone who knows the
 * tenant id. Anywhere else a request that names an end user is refused instead (fail closed).
 */
const UNKEYED = "llm-gateway end-user pseudonym v1";

/** END_USER_HASH_KEY is required here but not set: pseudonymizing refuses the request. */
export const END_USER_KEY_MISSING = Symbol("END_USER_HASH_KEY missing");

/** The Worker secret; undefined on a local stack without one; END_USER_KEY_MISSING elsewhere. */
export type EndUserSecret = string | undefined | typeof END_USER_KEY_MISSING;

const tenantKeys = new Map<string, string>();
const MAX_TENANT_KEYS = 10_000;

function tenantKey(secret: EndUserSecret, tenantId: string): string {
  if (secret === END_USER_KEY_MISSING) {
    throw new GatewayError(
      "control_failed",
      "This gateway has no key for end-user pseudonyms, so a request naming an end user (user, safety_identifier, prompt_cache_key) cannot be accepted. Leave those fields out, or ask the gateway's operator to set END_USER_HASH_KEY.",
      { code: "end_user_hash_key_missing" },
    );
  }
  const id = `${secret ?? ""}\u0000${tenantId}`;
  let key = tenantKeys.get(id);
  if (key === undefined) {
    key = toHex(hmacSha256(secret || UNKEYED, `end-user\u0000${tenantId}`));
    if (tenantKeys.size >= MAX_TENANT_KEYS) tenantKeys.clear();
    tenantKeys.set(id, key);
  }
  return key;
}

export function endUserPseudonym(value: string, tenantId: string, secret: EndUserSecret): string {
  return `eu_${toHex(hmacSha256(tenantKey(secret, tenantId), value)).slice(0, 32)}`;
}

/**
 * At least 32 characters, as PII_HASH_KEY: a short key can be guessed along with an identifier
 * to confirm a pseudonym. Outside a local stack a shorter one is refused like a missing one.
 */
export const EndUserSecretSchema = z.string().min(32, "END_USER_HASH_KEY must be at least 32 characters (openssl rand -base64 32)");

const END_USER_SECRET: SecretSpec = { name: "END_USER_HASH_KEY", schema: EndUserSecretSchema, publicLabel: UNKEYED, errorCode: "end_user_hash_key_missing" };

/** The Worker secret as configured, or what its absence means here (deployment-secret.ts). */
export function endUserSecret(env: object): EndUserSecret {
  const state = secretState(env, END_USER_SECRET);
  return state.kind === "set" ? state.value : state.kind === "local_unset" ? undefined : END_USER_KEY_MISSING;
}

/** A copy with each end-user field pseudonymized; an empty one is dropped (it names nobody). */
export function pseudonymizeEndUsers<T extends EndUserFields>(request: T, tenantId: string, secret: EndUserSecret): T {
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

/** A copy without any end-user field: for accounting a request whose end user could not be pseudonymized. */
export function withoutEndUsers<T extends EndUserFields>(request: T): T {
  const out: T = { ...request };
  for (const f of END_USER_FIELDS) delete out[f];
  return out;
}
