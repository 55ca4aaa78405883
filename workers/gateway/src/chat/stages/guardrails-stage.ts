/**
 * Input guardrails, before anything else sees the prompt: PII is redacted (the vault of
 * originals stays in this request's memory only) and the redacted request is screened for
 * injection. What the client gets back passes through the returned filter: placeholders are
 * restored, and PII the model produced on its own is handled by the tenant's output policy.
 */
import { GatewayError } from "../../../../../shared/errors";
import {
  createStreamRestorer,
  guardrailsHeader,
  restoreText,
  runInputGuardrails,
  scanOutput,
  type GuardrailSettings,
} from "../../guardrails";
import type { ChatExchange } from "../exchange";
import type { OutputFilter } from "../output-filter";

/** The request's output filter, and its output policy alone for text nobody is served (a shadow call's answer). */
export interface RequestOutputFilter extends OutputFilter {
  /**
   * The tenant's output policy on a whole text, placeholders left in (the redacted form events
   * and traces hold): PII the model wrote is masked/hashed/redacted as the policy says, and an
   * entity the policy blocks throws `output_blocked`, exactly as `text` does for a served answer.
   */
  policy(value: string): string;
}

export async function applyInputGuardrails(ex: ChatExchange, settings: GuardrailSettings): Promise<RequestOutputFilter> {
  const salt = ex.auth.tenantId;
  const outcome = await runInputGuardrails(ex.original, settings, salt);
  ex.request = outcome.request;
  ex.headers["x-guardrails"] = guardrailsHeader(outcome);
  ex.decisions.guardrails = {
    controls: outcome.controls,
    pii: outcome.pii.findings,
    injection: outcome.injection ? { score: outcome.injection.score, label: outcome.injection.label, source: outcome.injection.source } : null,
    flagged: outcome.flagged,
  };
  const vault = outcome.vault;
  const policy = (value: string): string => {
    const scan = scanOutput(value, vault, settings, salt);
    if (scan.blocked.length > 0) {
      throw new GatewayError("guardrail_blocked", `The model's answer contained ${scan.blocked.join(", ")} and was withheld by policy.`, { code: "output_blocked" });
    }
    return scan.text;
  };
  return {
    policy,
    text: (value) => restoreText(policy(value), vault),
    // Streams are restored incrementally; output scanning needs the whole text, so live streams
    // are not scanned here (the evaluator's PII-leakage check reports them after the fact). A
    // tenant whose output policy blocks gets no live streams at all (outputNeedsWholeAnswer).
    stream: () => createStreamRestorer(vault),
  };
}

/**
 * True when the tenant's output policy blocks an entity the model might write: blocking needs
 * the whole answer before any of it reaches the client, so such a request is answered whole
 * (and replayed as SSE when a stream was asked for) instead of relayed live. Redaction alone
 * does not need this: streams restore placeholders as they go.
 */
export function outputNeedsWholeAnswer(settings: GuardrailSettings): boolean {
  return settings.pii.enabled && settings.pii.scanOutput && Object.values(settings.pii.entities).includes("block");
}
