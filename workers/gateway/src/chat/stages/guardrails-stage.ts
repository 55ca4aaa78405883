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
  type PiiHashKey,
} from "../../guardrails";
import type { ChatExchange } from "../exchange";
import type { OutputFilter } from "../output-filter";

/** `hashKey`: the tenant's key for the `hash` action (piiHashKeyFor), derived once for the request's input and output. */
export async function applyInputGuardrails(ex: ChatExchange, settings: GuardrailSettings, hashKey: PiiHashKey): Promise<OutputFilter> {
  const outcome = await runInputGuardrails(ex.original, settings, hashKey);
  ex.request = outcome.request;
  ex.redacted = true;
  ex.headers["x-guardrails"] = guardrailsHeader(outcome);
  ex.decisions.guardrails = {
    controls: outcome.controls,
    pii: outcome.pii.findings,
    injection: outcome.injection ? { score: outcome.injection.score, label: outcome.injection.label, source: outcome.injection.source } : null,
    flagged: outcome.flagged,
  };
  const vault = outcome.vault;
  const scanned = (value: string, storedForm: boolean): string => {
    const scan = scanOutput(value, vault, settings, hashKey, { storedForm });
    if (scan.blocked.length > 0) {
      throw new GatewayError("guardrail_blocked", `The model's answer contained ${scan.blocked.join(", ")} and was withheld by policy.`, { code: "output_blocked" });
    }
    return scan.text;
  };
  const policy = (value: string): string => scanned(value, false);
  // policy(): the form events, traces and the cache hold (output-filter.ts); the client gets it restored.
  const restore = (value: string): string => restoreText(value, vault);
  return {
    policy,
    replayPolicy: (value) => scanned(value, true),
    restore,
    text: (value) => restore(policy(value)),
    // Streams are restored incrementally; output scanning needs the whole text, so live streams
    // are not scanned on the way to the client (the event's copy is: stream-response-builder.ts
    // runs policy() over the whole text at the end). A tenant whose output policy blocks gets no
    // live streams at all (outputNeedsWholeAnswer).
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
