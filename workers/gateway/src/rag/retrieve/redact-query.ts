/**
 * A search query under the tenant's PII policy, as a chat prompt is before it reaches any model:
 * the query goes to the embedder and the reranker (Workers AI in production), so a name or an
 * e-mail in it leaves the Worker only as a placeholder, and an entity the policy blocks refuses
 * the search.
 *
 * The placeholders are then left out of what is searched: a tokenizer would split
 * `<EMAIL_ADDRESS_1>` into "email", "address", "1" and match every chunk holding any redacted
 * e-mail. Documents ingested under the same policy hold placeholders where their values were, so
 * those values were not searchable anyway; documents ingested before redaction was turned on still
 * hold raw values, which a redacted query no longer finds. The placeholders are one-way here: a
 * search answer holds chunks, never the query, so nothing needs restoring.
 */
import { GatewayError } from "../../../../../shared/errors";
import { PiiVault, PLACEHOLDER } from "../../guardrails/redact/vault";
import { redactText } from "../../guardrails/redact/redact-text";
import type { PiiHashKey } from "../../guardrails/redact/hash-key";
import type { GuardrailSettings } from "../../guardrails/settings";

/** Redacted text without its placeholders: what the retrievers should match on. */
export const withoutPlaceholders = (text: string): string => text.replace(PLACEHOLDER, " ").replace(/\s+/g, " ").trim();

export interface SearchQuery {
  /** The query after redaction, as the answer's `search_query` shows it. */
  redacted: string;
  /** What the retrievers get: the redacted query without its placeholders. */
  searched: string;
}

export function redactSearchQuery(query: string, settings: GuardrailSettings, hashKey: PiiHashKey): SearchQuery {
  if (!settings.pii.enabled) return { redacted: query, searched: query };
  const r = redactText(query, settings.pii, new PiiVault(), hashKey);
  if (r.blocked.length) {
    throw new GatewayError("guardrail_blocked", `The query contains ${[...new Set(r.blocked)].join(", ")}, which this tenant's PII policy blocks.`, { code: "pii_blocked", param: "query" });
  }
  const searched = withoutPlaceholders(r.text);
  if (!searched) throw new GatewayError("invalid_request", "The query holds nothing to search with once its personal data is redacted.", { param: "query", code: "query_empty_after_redaction" });
  return { redacted: r.text, searched };
}
