/**
 * A search query under the tenant's PII policy, as a chat prompt is before it reaches any model:
 * the query goes to the embedder and the reranker (Workers AI in production), so a name or an
 * e-mail in it leaves the Worker only as a placeholder, and an entity the policy blocks refuses
 * the search. Nothing is lost for matching: the same entities in the documents were redacted at
 * ingestion (`<DOC_PERSON_1>`), so their values are not in the index either. The placeholders are
 * one-way here: a search answer holds chunks, never the query, so nothing needs restoring.
 */
import { GatewayError } from "../../../../../shared/errors";
import { PiiVault } from "../../guardrails/redact/vault";
import { redactText } from "../../guardrails/redact/redact-text";
import type { GuardrailSettings } from "../../guardrails/settings";

export function redactSearchQuery(query: string, settings: GuardrailSettings, salt: string): string {
  if (!settings.pii.enabled) return query;
  const r = redactText(query, settings.pii, new PiiVault(), salt);
  if (r.blocked.length) {
    throw new GatewayError("guardrail_blocked", `The query contains ${[...new Set(r.blocked)].join(", ")}, which this tenant's PII policy blocks.`, { code: "pii_blocked", param: "query" });
  }
  return r.text;
}
