/**
 * A last redaction pass over exported text. Stored exchanges were redacted by the tenant's
 * policy on the way in, but an exported training set outlives that policy: an answer may hold
 * PII the model wrote itself, and a tenant may have allowed an entity through. Every text of
 * one example is redacted again with the default policy and one vault, whose numbering starts
 * after the placeholders already present, so `<PERSON_1>` keeps meaning the same person.
 */
import { DEFAULT_GUARDRAIL_SETTINGS, PII_ENTITY_TYPES, PiiVault, type PiiEntityType } from "../guardrails";
import { NO_PII_HASH_KEY } from "../guardrails/redact/hash-key";
import { redactText } from "../guardrails/redact/redact-text";
import { PLACEHOLDER } from "../guardrails/redact/vault";

const TYPES = new Set<string>(PII_ENTITY_TYPES);
// Exports never block or hash: an entity a policy would block is replaced by a placeholder instead.
const POLICY = {
  ...DEFAULT_GUARDRAIL_SETTINGS.pii,
  entities: Object.fromEntries(Object.entries(DEFAULT_GUARDRAIL_SETTINGS.pii.entities).map(([t, a]) => [t, a === "allow" ? "allow" : "redact"])) as typeof DEFAULT_GUARDRAIL_SETTINGS.pii.entities,
};

/** A vault whose counters start past the highest placeholder number already in `texts`. */
function seededVault(texts: readonly string[]): PiiVault {
  const vault = new PiiVault();
  const highest = new Map<PiiEntityType, number>();
  for (const text of texts) {
    for (const m of text.matchAll(PLACEHOLDER)) {
      const [type, n] = [m[1] ?? "", Number(m[2])];
      if (TYPES.has(type)) highest.set(type as PiiEntityType, Math.max(highest.get(type as PiiEntityType) ?? 0, n));
    }
  }
  // Sentinel values hold the numbers already used; none can occur in text (they start with NUL).
  for (const [type, n] of highest) for (let i = 1; i <= Math.min(n, 10_000); i++) vault.placeholderFor(type, `\u0000taken:${i}`);
  return vault;
}

/** The texts of one example, redacted again together (same value, same placeholder). */
export function redactForExport(texts: readonly string[]): string[] {
  const vault = seededVault(texts);
  return texts.map((t) => redactText(t, POLICY, vault, NO_PII_HASH_KEY).text);
}
