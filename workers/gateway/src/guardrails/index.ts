/** Public API of the guardrails module: what the gateway core wires into the request path. */
export { PII_ENTITY_TYPES, type PiiEntityType, type PiiFinding } from "./types";
export { detectPii, type DetectOptions } from "./pii/detect";
export {
  GuardrailSettingsSchema,
  DEFAULT_GUARDRAIL_SETTINGS,
  DEFAULT_PII_ACTIONS,
  type GuardrailSettings,
  type GuardrailSettingsInput,
  type PiiAction,
} from "./settings";
export { PiiVault } from "./redact/vault";
export { redactChatRequest, type RedactionResult } from "./redact/redact-request";
export { restoreText, createStreamRestorer, type StreamRestorer } from "./redact/restore";
export { scanOutput, type OutputScan } from "./redact/scan-output";
export { piiHashKeyFor, tenantPiiHashKey, NO_PII_HASH_KEY, type PiiHashKey } from "./redact/hash-key";
export { screenInjection, scoreText, type InjectionVerdict } from "./injection/screen";
export { runInputGuardrails, guardrailsHeader, type GuardrailOutcome, type ControlReport } from "./orchestrate";
export { GuardrailCheckRequestSchema, runGuardrailCheck, type GuardrailCheckRequest, type GuardrailCheckResponse } from "./check";
export { pseudonymizeEndUsers, endUserPseudonym, endUserSecret } from "./end-user";
export { forwardedFields } from "./forwarded-fields";
