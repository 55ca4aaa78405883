/**
 * The tenant's PII policy applied to a document before any of it is stored or indexed (the
 * same detectors and per-entity actions as prompts). Redacted values become `<DOC_PERSON_1>`:
 * the `DOC_` prefix keeps them apart from a chat request's own `<PERSON_1>`, which the
 * request's restore step would otherwise fill with the caller's value. The originals behind
 * them are kept only envelope-encrypted (CONTENT_ENCRYPTION_KEYS), so a reader granted
 * content:read can restore them; without a keyring the redaction is one-way.
 */
import { GatewayError } from "../../../../../shared/errors";
import { encryptText, type Keyring } from "../../../../../shared/crypto/envelope";
import type { PiiHashKey } from "../../guardrails/redact/hash-key";
import { PiiVault, PLACEHOLDER } from "../../guardrails/redact/vault";
import { redactText } from "../../guardrails/redact/redact-text";
import type { GuardrailSettings } from "../../guardrails/settings";

export interface RedactedDocument {
  title: string;
  text: string;
  entities: number;
  /** Envelope of `{ placeholder: original }`, or null (nothing reversible, or no keyring). */
  vault: string | null;
}

const prefixed = (text: string): string => text.replace(PLACEHOLDER, (_m, type: string, n: string) => `<DOC_${type}_${n}>`);

export async function redactDocument(title: string, text: string, settings: GuardrailSettings, hashKey: PiiHashKey, keyring: Keyring | null): Promise<RedactedDocument> {
  if (!settings.pii.enabled) return { title, text, entities: 0, vault: null };
  const vault = new PiiVault();
  const t = redactText(title, settings.pii, vault, hashKey);
  const b = redactText(text, settings.pii, vault, hashKey);
  const blocked = [...new Set([...t.blocked, ...b.blocked])];
  if (blocked.length) {
    throw new GatewayError("guardrail_blocked", `The document contains ${blocked.join(", ")}, which this tenant's PII policy blocks.`, { code: "pii_blocked", param: "text" });
  }
  const originals: Record<string, string> = {};
  for (const m of `${t.text}\n${b.text}`.matchAll(PLACEHOLDER)) {
    const original = vault.original(m[0]);
    if (original !== undefined) originals[`<DOC_${m[1]}_${m[2]}>`] = original;
  }
  const reversible = Object.keys(originals).length > 0 && keyring !== null;
  return {
    title: prefixed(t.text),
    text: prefixed(b.text),
    entities: t.acted.length + b.acted.length,
    vault: reversible ? await encryptText(JSON.stringify(originals), keyring) : null,
  };
}
