/**
 * The audit chain's key: rows are linked with HMAC-SHA256 under `AUDIT_CHAIN_KEY`, a Worker
 * secret the database does not hold, so someone who can write D1 can no longer append a row
 * with a valid link (issue 19 item 9). See docs/access-control.md, "Audit log", for the trust
 * model and how a deployment with unkeyed rows migrates.
 *
 * The key is registered per D1 binding (`useAuditChainKey(env.DB, env)`, called by the auth
 * middleware and the evaluator's cron) rather than passed to every appendAudit call, so the many
 * places that append rows (budgets, guardrails, cache purges, rollouts) need no change: every
 * row written through a binding is keyed once its Worker has the secret.
 */
import { bytesToHex } from "../crypto/sha256";

export interface ChainKey {
  /** The HMAC key, from the secret's UTF-8 bytes. */
  key: Promise<CryptoKey>;
  /**
   * `AUDIT_CHAIN_KEYED_FROM`: every row from this seq on must be keyed. Unset, the chain is
   * trusted to be unkeyed only before its first keyed row (see verify.ts).
   */
  keyedFrom: number | null;
}

const encoder = new TextEncoder();
const byDb = new WeakMap<object, ChainKey>();
const imported = new Map<string, Promise<CryptoKey>>();

function importKey(secret: string): Promise<CryptoKey> {
  let key = imported.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    imported.set(secret, key);
  }
  return key;
}

/** A misconfigured pin counts as 1 (every row keyed): loud rather than silently lax. */
function keyedFromOf(value: unknown): number | null {
  if (value === undefined || value === null || value === "") return null;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}

/** Reads AUDIT_CHAIN_KEY / AUDIT_CHAIN_KEYED_FROM from a Worker env (or any record of vars). */
export function chainKeyFromEnv(env: object): ChainKey | null {
  const vars = env as Record<string, unknown>;
  const secret = vars.AUDIT_CHAIN_KEY;
  if (typeof secret !== "string" || secret === "") return null;
  return { key: importKey(secret), keyedFrom: keyedFromOf(vars.AUDIT_CHAIN_KEYED_FROM) };
}

/** Keys every audit row written or verified through `db` with the env's AUDIT_CHAIN_KEY. */
export function useAuditChainKey(db: D1Database | undefined, env: object): void {
  if (!db || byDb.has(db)) return;
  const key = chainKeyFromEnv(env);
  if (key) byDb.set(db, key);
}

export function chainKeyFor(db: D1Database): ChainKey | null {
  return byDb.get(db) ?? null;
}

export async function hmacHex(key: ChainKey, data: string): Promise<string> {
  return bytesToHex(new Uint8Array(await crypto.subtle.sign("HMAC", await key.key, encoder.encode(data))));
}
