/**
 * The one place the evaluator touches content keys: a sealer built from the keyring secrets
 * (shared/crypto/envelope.ts, AES-GCM with the key id in the envelope). No keys configured =
 * no sealer = content is not stored at all.
 */
import { encryptText, keyringFromEnv } from "../../../../shared/crypto/envelope";
import type { Seal } from "./trace-record";

export async function sealerFromEnv(env: { CONTENT_ENCRYPTION_KEYS?: string; CONTENT_ENCRYPTION_ACTIVE_KID?: string }): Promise<Seal | undefined> {
  if (!env.CONTENT_ENCRYPTION_KEYS) return undefined;
  const keyring = await keyringFromEnv(env);
  return (plaintext) => encryptText(plaintext, keyring);
}
