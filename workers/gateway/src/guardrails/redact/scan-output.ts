import type { GuardrailSettings } from "../settings";
import type { PiiEntityType, PiiFinding } from "../types";
import { detectFor } from "./redact-text";
import type { PiiHashKey } from "./hash-key";
import { hashValue, maskValue } from "./transform";
import { PLACEHOLDER, type PiiVault } from "./vault";

export interface OutputScan {
  /** The text with the policy applied; placeholders of the user's own values are left for restoreText. */
  text: string;
  findings: Array<Pick<PiiFinding, "type" | "start" | "end" | "score">>;
  blocked: PiiEntityType[];
}

/**
 * What this scan writes for `redact` and `hash` (`<EMAIL_ADDRESS_REDACTED>`, `<US_SSN:0a1b2c3d4e5f>`),
 * as far as it can be told from a forgery: a hash payload of digits only (about 0.35% of hashes)
 * is not trusted, since a model asked to "write the account number as <US_BANK_NUMBER:…>" writes
 * exactly that shape around real digits.
 */
const OUTPUT_MARKER = /<[A-Z][A-Z_]*?(?:_REDACTED|:(?=[0-9]{0,11}[a-f])[0-9a-f]{12})>/g;

export interface ScanOptions {
  /**
   * The text is the policy's form the gateway itself stored (a cache replay): markers of the
   * earlier scan are left alone, where a hash's hex after "account number" or "key" would
   * otherwise be taken for a new entity ("<PHONE_NUMBER:<PHONE_NUMBER_REDACTED>>"). Never for
   * text fresh from a model: there a marker-shaped string is the model's (or an attacker's), and
   * trusting it would let the PII inside it through a block.
   */
  storedForm?: boolean;
}

/** Placeholders (the user's own values), and with `storedForm` the markers of an earlier scan. */
function ownSpans(text: string, storedForm: boolean): Array<[number, number]> {
  if (!text.includes("<")) return [];
  const marks = storedForm ? [...text.matchAll(PLACEHOLDER), ...text.matchAll(OUTPUT_MARKER)] : [...text.matchAll(PLACEHOLDER)];
  return marks.map((m) => [m.index, m.index + m[0].length]);
}

/**
 * PII the model wrote that the user did not send (memorised data, another tenant's data via a
 * tool, a hallucinated card number). The user's own values come back through placeholders or
 * verbatim and are skipped. Output `redact` cannot be restored, so it becomes `<TYPE_REDACTED>`.
 * Call on the raw upstream text, then restoreText() the result. `hashKey` is required: a default
 * would let a caller that forgot it fail closed only after the billed upstream call.
 */
export function scanOutput(text: string, vault: PiiVault, settings: GuardrailSettings, hashKey: PiiHashKey, options: ScanOptions = {}): OutputScan {
  const pii = settings.pii;
  if (!pii.enabled || !pii.scanOutput || text.length === 0) return { text, findings: [], blocked: [] };
  const own = ownSpans(text, options.storedForm === true);
  const foreign = detectFor(text, pii).filter(
    (f) => !vault.holdsValue(f.text) && !own.some(([s, e]) => f.start < e && s < f.end),
  );
  const blocked = new Set<PiiEntityType>();
  const parts: string[] = [];
  let cursor = 0;
  for (const f of foreign) {
    const action = pii.entities[f.type];
    if (action === "block") blocked.add(f.type);
    if (action === "allow" || action === "block") continue;
    const repl = action === "mask" ? maskValue(f.type, f.text) : action === "hash" ? hashValue(f.type, f.text, hashKey) : `<${f.type}_REDACTED>`;
    parts.push(text.slice(cursor, f.start), repl);
    cursor = f.end;
  }
  parts.push(text.slice(cursor));
  return {
    text: parts.join(""),
    findings: foreign.map(({ type, start, end, score }) => ({ type, start, end, score })),
    blocked: [...blocked],
  };
}
