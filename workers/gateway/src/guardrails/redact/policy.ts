import type { GuardrailSettings } from "../settings";
export type PiiSettings = GuardrailSettings["pii"];
