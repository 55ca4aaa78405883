import type { GuardrailSettings } from "../settings";
export type PiiSettings = GuardrailSettings["pii"];

/**
 * Whether the policy would act on some entity (redact, mask, hash or block) if it could read a
 * text: inputs it cannot read (token ids, opaque payloads) matter only then.
 */
export const piiPolicyActs = (pii: PiiSettings): boolean => pii.enabled && Object.values(pii.entities).some((a) => a !== "allow");
