/**
 * Templates are stored in D1 as written and shown to every key that may read prompts (viewers
 * included), so they must not hold personal data: D1 never holds unredacted prompt text. A
 * version whose text contains an entity the tenant's PII policy redacts or blocks is refused
 * with a 400 naming the entity type and where it is (never the value). Such values belong in
 * variables, whose values are redacted per request like any message.
 *
 * Only the pattern-based entities (addresses, numbers, keys and secrets) are screened here. Names
 * and places come from the statistical tagger, which reads authored instructions poorly ("Answer"
 * after a placeholder came out as a PERSON): refusing templates on its guesses would block
 * ordinary writing. Rendered text, template included, is redacted per request all the same.
 */
import { activeEntities, detectFor } from "../guardrails/redact/redact-text";
import type { PiiEntityType } from "../guardrails/types";
import { settingsFor } from "../settings/settings-store";
import type { TemplateScreen } from "./prompt-writes";
import { placeholders } from "./template";

const TAGGED: ReadonlySet<PiiEntityType> = new Set(["PERSON", "STREET_ADDRESS", "LOCATION", "ORGANIZATION"]);

/** Placeholders are masked to same-length neutral text first: `{{email}}` is not an address. */
const masked = (text: string): string => text.replace(/\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/g, (m) => " ".repeat(m.length));

export function piiTemplateScreen(db: D1Database, tenantId: string): TemplateScreen {
  return async (messages, feature) => {
    const { guardrails } = await settingsFor(db, tenantId, feature);
    if (!guardrails.pii.enabled) return [];
    const entities = activeEntities(guardrails.pii).filter((t) => !TAGGED.has(t));
    const problems: { path: (string | number)[]; message: string }[] = [];
    messages.forEach((m, i) => {
      if (placeholders(m.content).error) return;
      for (const f of detectFor(masked(m.content), guardrails.pii, entities)) {
        problems.push({ path: ["messages", i, "content"], message: `the template contains ${f.type} at offset ${f.start}; templates are stored as written, so put it in a variable (variable values are redacted per request)` });
      }
    });
    return problems;
  };
}
