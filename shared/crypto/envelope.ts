/**
 * Envelope encryption of text at rest (trace content in D1), WebCrypto only, so it runs in
 * both Workers and Node.
 *
 * Each message gets a fresh 256-bit data key (DEK) that encrypts the text with AES-256-GCM;
 * the DEK is itself encrypted ("wrapped") with the active key-encryption key (KEK) from the
 * keyring. The envelope names the KEK by id, so rotation is: add a new kid, make it active,
 * keep old kids until `rewrapEnvelope` has moved old envelopes (cheap: only the 32-byte DEK is
 * re-encrypted) or they aged out; then remove the old kid.
 *
 * Envelope: `gwe1.<kid>.<wrapIv>.<wrappedDek>.<iv>.<ciphertext>` (base64url parts). The header
 * `gwe1.<kid>` is GCM additional data of the wrapped DEK, so a kid cannot be swapped; the
 * content layer is bound to its unique DEK (AAD `gwe1`), which lets rotation re-wrap only the DEK.
 *
 * Env: CONTENT_ENCRYPTION_KEYS = `kid1:<base64 32 bytes>,kid2:<base64 32 bytes>` (or a JSON
 * object `{"kid1":"<base64>"}`), CONTENT_ENCRYPTION_ACTIVE_KID = kid that encrypts (defaults
 * to the last listed). Both are secrets (.dev.vars / `wrangler secret put`), never [vars].
 */
import { z } from "zod";

const VERSION = "gwe1";
const KID = /^[A-Za-z0-9-]{1,32}$/;

export interface Keyring {
  readonly activeKid: string;
  readonly keys: ReadonlyMap<string, CryptoKey>;
}

export class EnvelopeError extends Error {
  override name = "EnvelopeError";
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const CONTENT_AAD = enc.encode(VERSION);

type NativeBase64 = Uint8Array & { toBase64?: (o: { alphabet: "base64url"; omitPadding: boolean }) => string };

export function toBase64Url(bytes: Uint8Array): string {
  // Encoding was a measurable share of the evaluator's CPU (an envelope per trace): the
  // runtime's own encoder where it has one (workerd), else 32 KiB of bytes per fromCharCode.
  const native = (bytes as NativeBase64).toBase64;
  if (native) return native.call(bytes, { alphabet: "base64url", omitPadding: true });
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

const importAesKey = (raw: Uint8Array, usages: Array<"encrypt" | "decrypt">): Promise<CryptoKey> =>
  crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, usages);

const KeySpecSchema = z.string().transform((s, ctx) => {
  const trimmed = s.trim();
  let pairs: [string, string][];
  try {
    pairs = trimmed.startsWith("{")
      ? Object.entries(z.record(z.string(), z.string()).parse(JSON.parse(trimmed)))
      : trimmed.split(",").filter(Boolean).map((p) => {
          const i = p.indexOf(":");
          return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
        });
  } catch {
    ctx.addIssue({ code: "custom", message: "CONTENT_ENCRYPTION_KEYS is not `kid:base64,...` or a JSON object" });
    return z.NEVER;
  }
  return pairs;
});

/** Builds the keyring; throws EnvelopeError (never echoing key material) when misconfigured. */
export async function keyringFromEnv(env: { CONTENT_ENCRYPTION_KEYS?: string; CONTENT_ENCRYPTION_ACTIVE_KID?: string }): Promise<Keyring> {
  if (!env.CONTENT_ENCRYPTION_KEYS) throw new EnvelopeError("CONTENT_ENCRYPTION_KEYS is not set");
  const parsed = KeySpecSchema.safeParse(env.CONTENT_ENCRYPTION_KEYS);
  if (!parsed.success) throw new EnvelopeError("CONTENT_ENCRYPTION_KEYS is malformed");
  const keys = new Map<string, CryptoKey>();
  for (const [kid, b64] of parsed.data) {
    if (!KID.test(kid)) throw new EnvelopeError("CONTENT_ENCRYPTION_KEYS has an invalid key id");
    let raw: Uint8Array;
    try {
      raw = fromBase64Url(b64);
    } catch {
      throw new EnvelopeError(`key ${kid} is not base64`);
    }
    if (raw.length !== 32) throw new EnvelopeError(`key ${kid} must be 32 bytes`);
    keys.set(kid, await importAesKey(raw, ["encrypt", "decrypt"]));
  }
  const activeKid = env.CONTENT_ENCRYPTION_ACTIVE_KID || [...keys.keys()].at(-1);
  if (!activeKid || !keys.has(activeKid)) throw new EnvelopeError("CONTENT_ENCRYPTION_ACTIVE_KID names no configured key");
  return { activeKid, keys };
}

/** A fresh random key spec part, e.g. for .dev.vars: `kid:<base64>`. */
export function generateKeySpec(kid: string): string {
  return `${kid}:${toBase64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

async function gcm(op: "encrypt" | "decrypt", key: CryptoKey, iv: Uint8Array, aad: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const params = { name: "AES-GCM", iv, additionalData: aad, tagLength: 128 };
  return new Uint8Array(op === "encrypt" ? await crypto.subtle.encrypt(params, key, data) : await crypto.subtle.decrypt(params, key, data));
}

async function wrapDek(dek: Uint8Array, kid: string, keyring: Keyring): Promise<{ header: string; wrapIv: Uint8Array; wrapped: Uint8Array }> {
  const kek = keyring.keys.get(kid);
  if (!kek) throw new EnvelopeError(`no key ${kid} in keyring`);
  const header = `${VERSION}.${kid}`;
  const wrapIv = crypto.getRandomValues(new Uint8Array(12));
  return { header, wrapIv, wrapped: await gcm("encrypt", kek, wrapIv, enc.encode(header), dek) };
}

export async function encryptText(plaintext: string, keyring: Keyring): Promise<string> {
  const dekRaw = crypto.getRandomValues(new Uint8Array(32));
  const { header, wrapIv, wrapped } = await wrapDek(dekRaw, keyring.activeKid, keyring);
  const dek = await importAesKey(dekRaw, ["encrypt"]);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await gcm("encrypt", dek, iv, CONTENT_AAD, enc.encode(plaintext));
  return [header, toBase64Url(wrapIv), toBase64Url(wrapped), toBase64Url(iv), toBase64Url(ct)].join(".");
}

interface ParsedEnvelope {
  kid: string;
  header: string;
  wrapIv: Uint8Array;
  wrapped: Uint8Array;
  iv: Uint8Array;
  ct: Uint8Array;
}

function parseEnvelope(envelope: string): ParsedEnvelope {
  const parts = envelope.split(".");
  const [version, kid, wrapIv, wrapped, iv, ct] = parts;
  if (parts.length !== 6 || version !== VERSION || !kid || !KID.test(kid) || !wrapIv || !wrapped || !iv || ct === undefined) {
    throw new EnvelopeError("not a gateway envelope");
  }
  try {
    return { kid, header: `${VERSION}.${kid}`, wrapIv: fromBase64Url(wrapIv), wrapped: fromBase64Url(wrapped), iv: fromBase64Url(iv), ct: fromBase64Url(ct) };
  } catch {
    throw new EnvelopeError("envelope is not base64url");
  }
}

async function unwrapDek(p: ParsedEnvelope, keyring: Keyring): Promise<Uint8Array> {
  const kek = keyring.keys.get(p.kid);
  if (!kek) throw new EnvelopeError(`no key ${p.kid} in keyring (rotated out?)`);
  try {
    return await gcm("decrypt", kek, p.wrapIv, enc.encode(p.header), p.wrapped);
  } catch {
    throw new EnvelopeError("envelope failed authentication");
  }
}

export async function decryptText(envelope: string, keyring: Keyring): Promise<string> {
  const p = parseEnvelope(envelope);
  const dek = await importAesKey(await unwrapDek(p, keyring), ["decrypt"]);
  try {
    return dec.decode(await gcm("decrypt", dek, p.iv, CONTENT_AAD, p.ct));
  } catch {
    throw new EnvelopeError("envelope failed authentication");
  }
}

/** Re-wraps the data key under the active kid; the content ciphertext is kept as is. */
export async function rewrapEnvelope(envelope: string, keyring: Keyring): Promise<string> {
  const p = parseEnvelope(envelope);
  if (p.kid === keyring.activeKid) return envelope;
  const { header, wrapIv, wrapped } = await wrapDek(await unwrapDek(p, keyring), keyring.activeKid, keyring);
  return [header, toBase64Url(wrapIv), toBase64Url(wrapped), toBase64Url(p.iv), toBase64Url(p.ct)].join(".");
}
