/**
 * The key of the `hash` PII action (`<US_SSN:0a1b2c3d4e5f>`). A token is 12 hex digits of
 * HMAC-SHA256(tenant key, type NUL value), and the tenant key is
 * HMAC-SHA256(PII_HASH_KEY, "pii-hash v1" NUL tenant id): values hash alike within a tenant,
 * differently across tenants, and without the Worker secret nobody who reads a stored token
 * can test guesses against it (an SSN or phone number has few enough values to try them all).
 * The tenant id alone, the key before this, is not secret.
 *
 * The tenant key is derived once per isolate and tenant, and its HMAC's inner and outer pads
 * are hashed once with it: each token then costs the message's own blocks only.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { z } from "zod";
import { bytesToHex } from "../../../../../shared/crypto/sha256";
import { GatewayError } from "../../../../../shared/errors";
import { secretState, type SecretSpec } from "../../config/deployment-secret";
import type { GuardrailSettings } from "../settings";

export interface PiiHashKey {
  /** 12 hex digits of the keyed HMAC of `message`. Throws control_failed when no key is configured. */
  hex12(message: string): string;
}

/** 32 random bytes, base64 (`openssl rand -base64 32`): 44 characters. */
export const PiiHashSecretSchema = z.string().min(32, "PII_HASH_KEY must be at least 32 characters (openssl rand -base64 32)");

/**
 * Local stacks and tests without PII_HASH_KEY (deployment-secret.ts) key from this public
 * label: tenants still hash apart, but anyone can recompute a token. Never used in production,
 * and refused as a value of PII_HASH_KEY.
 */
const LOCAL_UNKEYED = "llm-gateway pii-hash local unkeyed v1";

const PII_HASH_SECRET: SecretSpec = { name: "PII_HASH_KEY", schema: PiiHashSecretSchema, publicLabel: LOCAL_UNKEYED, errorCode: "pii_hash_key_missing" };

const encoder = new TextEncoder();
type Mac = ReturnType<typeof hmac.create>;

class TenantHashKey implements PiiHashKey {
  readonly #mac: Mac;
  constructor(secret: string, tenantId: string) {
    const tenantKey = hmac(sha256, encoder.encode(secret), encoder.encode(`pii-hash v1\u0000${tenantId}`));
    this.#mac = hmac.create(sha256, tenantKey);
  }
  hex12(message: string): string {
    return bytesToHex(this.#mac.clone().update(encoder.encode(message)).digest().subarray(0, 6));
  }
}

const MISSING_MESSAGE =
  "This gateway has no key for the PII `hash` action, so a policy that hashes cannot run; the request was not sent. Use redact or mask for those entities, or ask the gateway's operator to set PII_HASH_KEY.";

const missingKey = (): GatewayError => new GatewayError("control_failed", MISSING_MESSAGE, { code: "pii_hash_key_missing" });

/** For callers whose policy hashes nothing, when no key is configured: a hash asked of it fails closed. */
export const NO_PII_HASH_KEY: PiiHashKey = {
  hex12: () => {
    throw missingKey();
  },
};

const cache = new Map<string, PiiHashKey>();
const MAX_CACHED = 10_000;

/** The tenant's key under `secret`; derived once per isolate. */
export function tenantPiiHashKey(secret: string, tenantId: string): PiiHashKey {
  const id = `${secret}\u0000${tenantId}`;
  let key = cache.get(id);
  if (key === undefined) {
    key = new TenantHashKey(secret, tenantId);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(id, key);
  }
  return key;
}

/** True when `settings` hash some entity (input, output, documents: they share one policy). */
export const policyHashes = (settings: GuardrailSettings): boolean => settings.pii.enabled && Object.values(settings.pii.entities).includes("hash");

/** False when a policy that hashes would be refused here (no usable PII_HASH_KEY outside a local stack). */
export const canHashHere = (env: object): boolean => secretState(env, PII_HASH_SECRET).kind !== "missing";

/**
 * The key for one request of `tenantId` under its guardrail `settings`. Fails closed: outside a
 * local stack, with PII_HASH_KEY missing, a policy that hashes is refused here, before anything
 * is sent upstream (503, code pii_hash_key_missing), and a policy that does
 * not hash gets NO_PII_HASH_KEY, which refuses the same way if it is ever asked for a token.
 */
export function piiHashKeyFor(env: object, tenantId: string, settings: GuardrailSettings): PiiHashKey {
  const secret = secretState(env, PII_HASH_SECRET);
  if (secret.kind === "set") return tenantPiiHashKey(secret.value, tenantId);
  if (secret.kind === "local_unset") return tenantPiiHashKey(LOCAL_UNKEYED, tenantId);
  if (policyHashes(settings)) throw missingKey();
  return NO_PII_HASH_KEY;
}
