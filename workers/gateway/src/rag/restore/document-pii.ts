/**
 * Reversing ingestion's PII redaction (ingest/redact-document.ts) for a reader allowed to see
 * content. Who: only keys whose content access is `decrypted` (developer or admin keys holding
 * `content:read`, auth/content-access.ts), the same grant that decrypts stored trace content;
 * every other caller keeps the `<DOC_…>` placeholders. How: per the tenant's guardrail settings
 * in force at read time, so tightening the policy after ingestion also governs old documents:
 * an entity now `redact` or `allow` (or PII off) comes back as it was, `mask` and `hash` come
 * back masked or hashed as a prompt's value would be, `block` stays a placeholder.
 */
import { z } from "zod";
import { decryptText, type Keyring } from "../../../../../shared/crypto/envelope";
import type { AuthContext } from "../../app-env";
import { contentAccessFor } from "../../auth/content-access";
import type { PiiHashKey } from "../../guardrails/redact/hash-key";
import { hashValue, maskValue } from "../../guardrails/redact/transform";
import type { GuardrailSettings } from "../../guardrails/settings";
import { PII_ENTITY_TYPES, type PiiEntityType } from "../../guardrails/types";
import { documentVaults } from "../store/collections-repo";
import type { CollectionScope } from "../store/scope";

/** `<DOC_EMAIL_ADDRESS_2>`: what redact-document.ts issues. */
export const DOC_PLACEHOLDER = /<DOC_([A-Z][A-Z_]*?)_(\d{1,6})>/g;

/** A document's originals by placeholder. */
export type Originals = ReadonlyMap<string, string>;

const OriginalsSchema = z.record(z.string(), z.string());

export const mayRestoreDocumentPii = (auth: Pick<AuthContext, "role" | "scopes">): boolean => contentAccessFor(auth) === "decrypted";

const isEntity = (t: string): t is PiiEntityType => (PII_ENTITY_TYPES as readonly string[]).includes(t);

/** The original as the tenant's current policy lets it out, or null to keep the placeholder. */
export function releasedValue(type: string, original: string, settings: GuardrailSettings, hashKey: PiiHashKey): string | null {
  if (!isEntity(type)) return null;
  if (!settings.pii.enabled) return original;
  const action = settings.pii.entities[type];
  if (action === "block") return null;
  if (action === "mask") return maskValue(type, original);
  if (action === "hash") return hashValue(type, original, hashKey);
  return original;
}

/** Restores one document's placeholders in text that came from it (a chunk, its heading). */
export function restoreDocumentText(text: string, originals: Originals | undefined, settings: GuardrailSettings, hashKey: PiiHashKey): string {
  if (!originals || originals.size === 0 || !text.includes("<DOC_")) return text;
  return replaceDocPlaceholders(text, (m) => originals.get(m), settings, hashKey);
}

/** Replaces each `<DOC_…>` whose original `lookup` finds with what the policy releases. */
export function replaceDocPlaceholders(text: string, lookup: (placeholder: string) => string | undefined, settings: GuardrailSettings, hashKey: PiiHashKey): string {
  return text.replace(DOC_PLACEHOLDER, (m, type: string) => {
    const original = lookup(m);
    return original === undefined ? m : (releasedValue(type, original, settings, hashKey) ?? m);
  });
}

/**
 * Opens the vaults of the given document versions. A vault sealed for another version (the
 * document was replaced since the chunk was read) numbers its placeholders differently and is
 * skipped, as is one that no longer decrypts (key removed): those placeholders stay.
 */
export async function openDocumentVaults(
  db: D1Database,
  keyring: Keyring | null,
  scope: CollectionScope,
  versions: ReadonlyArray<{ documentId: string; contentHash: string }>,
): Promise<Map<string, Originals>> {
  const out = new Map<string, Originals>();
  if (!keyring || versions.length === 0) return out;
  const sealed = await documentVaults(db, scope.tenantId, scope.collectionId, versions.map((v) => v.documentId));
  const wanted = new Set(versions.map((v) => `${v.documentId}\u0000${v.contentHash}`));
  await Promise.all(
    [...sealed].map(async ([id, s]) => {
      if (!wanted.has(`${id}\u0000${s.contentHash}`)) return;
      try {
        out.set(id, new Map(Object.entries(OriginalsSchema.parse(JSON.parse(await decryptText(s.vault, keyring))))));
      } catch {
        // Undecryptable (rotated-out key) or corrupt: that document's redaction stays one-way.
      }
    }),
  );
  return out;
}
