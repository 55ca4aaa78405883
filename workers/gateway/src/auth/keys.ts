/**
 * API key format, generation and hashing.
 *
 * Format: `gw_<env>_<prefix>_<secret>`, e.g. `gw_local_k3j5x7q2m4na_…`. `env` tells a leaked key's
 * origin at a glance (and lets secret scanners match it); `prefix` (12 base32 chars, 60 bits)
 * is public and indexes the row; `secret` (52 base32 chars, 260 bits) never leaves the client.
 * Base32 (a-z2-7) keeps `_` unambiguous as the separator and double-click-selects as one word.
 *
 * Only SHA-256(full key) is stored. A slow password hash is not needed: the key is 260 bits of
 * randomness, so offline guessing from a leaked hash is infeasible, and a fast hash keeps auth
 * well under the latency budget.
 */
import { z } from "zod";
import { sha256Hex } from "../../../../shared/crypto/sha256";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
export const PREFIX_LENGTH = 12;
export const SECRET_LENGTH = 52;

const KEY_PATTERN = new RegExp(`^gw_([a-z0-9]{1,16})_([a-z2-7]{${PREFIX_LENGTH}})_([a-z2-7]{${SECRET_LENGTH}})$`);

export const KeyEnvSchema = z.string().regex(/^[a-z0-9]{1,16}$/);

export interface ParsedKey {
  env: string;
  prefix: string;
}

/** Random base32 string; 5 bits per char from uniform bytes, so no modulo bias. */
export function randomBase32(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}

export interface GeneratedKey {
  key: string;
  prefix: string;
  hash: string;
}

export async function generateApiKey(env: string): Promise<GeneratedKey> {
  const safeEnv = KeyEnvSchema.parse(env.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 16) || "dev");
  const prefix = randomBase32(PREFIX_LENGTH);
  const key = `gw_${safeEnv}_${prefix}_${randomBase32(SECRET_LENGTH)}`;
  return { key, prefix, hash: await hashApiKey(key) };
}

/** Parses the shape only; says nothing about validity. Returns null for anything malformed. */
export function parseApiKey(candidate: string): ParsedKey | null {
  if (candidate.length > 128) return null;
  const m = KEY_PATTERN.exec(candidate);
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  return { env: m[1], prefix: m[2] };
}

export function hashApiKey(key: string): Promise<string> {
  return sha256Hex(key);
}


/**
 * Compares two strings in time independent of where they differ (both are fixed-length hex
 * digests here, so length is not secret). Avoids an early-exit `===` timing oracle. Compares
 * UTF-16 code units directly: no encoding step on the request path.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}

/** The masked form safe for logs and listings: `gw_local_k3j5x7q2m4na_…`. */
export function maskKey(prefix: string, env = "*"): string {
  return `gw_${env}_${prefix}_…`;
}
