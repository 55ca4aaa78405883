/** Logic behind POST /v1/guardrails/check: detect, redact and screen one text without calling a model. */
import { z } from "zod";
import { stripInvisible } from "./invisible";
import { scoreText } from "./injection/screen";
import { detectFor } from "./redact/redact-text";
import type { PiiHashKey } from "./redact/hash-key";
import { applyPolicy } from "./redact/transform";
import { PiiVault } from "./redact/vault";
import type { GuardrailSettings } from "./settings";
import { PII_ENTITY_TYPES } from "./types";

export const MAX_CHECK_CHARS = 200_000;

export const GuardrailCheckRequestSchema = z.object({
  text: z.string().max(MAX_CHECK_CHARS),
  checks: z.array(z.enum(["pii", "injection"])).min(1).max(2).default(["pii", "injection"]),
});
export type GuardrailCheckRequest = z.infer<typeof GuardrailCheckRequestSchema>;

export interface GuardrailCheckResponse {
  pii: Array<{ type: string; start: number; end: number; score: number }>;
  redacted: string;
  injection: { score: number; label: "injection" | "benign" };
}

/**
 * Reports every entity found (all types, including those the tenant allows, and with PII turned
 * off), and `redacted` under the tenant's policy (none when PII is off). Unrequested checks come back empty/benign so the shape is fixed.
 */
export function runGuardrailCheck(body: GuardrailCheckRequest, settings: GuardrailSettings, hashKey: PiiHashKey): GuardrailCheckResponse {
  const wantPii = body.checks.includes("pii");
  const findings = wantPii ? detectFor(body.text, settings.pii, PII_ENTITY_TYPES) : [];
  // `redacted` is the text as the gateway would forward it: hidden-text carriers stripped too,
  // and with PII turned off the text untouched, as chat forwards it (no policy, so no key needed).
  const redacted = stripInvisible(wantPii && settings.pii.enabled ? applyPolicy(body.text, findings, settings.pii, new PiiVault(), hashKey).text : body.text);
  const injection = body.checks.includes("injection")
    ? (({ score, label }) => ({ score, label }))(scoreText(body.text, settings.injection.threshold))
    : { score: 0, label: "benign" as const };
  return { pii: findings.map(({ type, start, end, score }) => ({ type, start, end, score })), redacted, injection };
}
