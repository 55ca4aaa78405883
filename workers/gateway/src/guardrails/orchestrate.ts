/**
 * Input guardrails in request-path order: the request cut down to known fields
 * (forwarded-fields.ts), PII redaction of every text an upstream receives, then injection screening on the
 * REDACTED request (so the classifier never sees raw PII and placeholders do not hide an
 * attack), then invisible-character stripping of what is forwarded (after screening, which
 * reads the text hidden in tag characters; see invisible.ts). Fail-closed contract: a control whose action blocks must run; if it throws, the
 * request is refused (GatewayError control_failed, 503). A control that only flags fails open
 * and says so in `controls`.
 */
import { GatewayError } from "../../../../shared/errors";
import type { ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";
import { forwardedFields } from "./forwarded-fields";
import { screenInjection, type InjectionVerdict } from "./injection/screen";
import type { PiiHashKey } from "./redact/hash-key";
import { redactChatRequest, type RedactionResult } from "./redact/redact-request";
import { PiiVault } from "./redact/vault";
import type { GuardrailSettings } from "./settings";
import { stripInvisibleRequest } from "./strip-request";
import type { PiiEntityType } from "./types";

export type ControlStatus = "ran" | "failed_open" | "skipped";
export interface ControlReport {
  name: "pii" | "injection" | "fields";
  action: string;
  status: ControlStatus;
  /** Injection score, when screened. */
  score?: number;
  /** Entity counts acted on, for PII. */
  entities?: Array<{ type: PiiEntityType; count: number }>;
  /** Fields left out of the forwarded request, for fields. */
  dropped?: number;
}

export interface GuardrailOutcome {
  request: ChatCompletionRequest;
  vault: PiiVault;
  pii: Pick<RedactionResult, "findings" | "blocked">;
  injection: InjectionVerdict | null;
  /** True when injection action is flag and the verdict is injection (request continues). */
  flagged: boolean;
  controls: ControlReport[];
}

/** PII blocks fail closed whenever any entity is set to block; redaction itself too (sending raw PII upstream is the failure). */
function piiBlocks(settings: GuardrailSettings): boolean {
  return Object.values(settings.pii.entities).some((a) => a !== "allow");
}

/**
 * Runs `redact` under the PII control's contract, reporting to `controls`: skipped when PII is
 * off (`untouched`), and fail-closed when it throws and any entity is acted on. Chat's request
 * and the embeddings route's inputs share it.
 */
export function runPiiControl<T extends Pick<RedactionResult, "findings" | "blocked">>(
  settings: GuardrailSettings,
  controls: ControlReport[],
  redact: () => T,
  untouched: () => T,
): T {
  const action = Object.values(settings.pii.entities).includes("block") ? "block" : "redact";
  if (!settings.pii.enabled) {
    controls.push({ name: "pii", action: "off", status: "skipped" });
    return untouched();
  }
  try {
    const r = redact();
    controls.push({ name: "pii", action, status: "ran", entities: r.findings });
    return r;
  } catch (cause) {
    // The client's own error (a function name holding PII, a schema nested absurdly deep), or a
    // hash policy without its key (hash-key.ts: already refused, fail closed).
    if (cause instanceof GatewayError) throw cause;
    if (piiBlocks(settings)) throw new GatewayError("control_failed", "The PII guardrail could not run; the request was not sent.", { cause });
    controls.push({ name: "pii", action, status: "failed_open" });
    return untouched();
  }
}

function runPii(request: ChatCompletionRequest, settings: GuardrailSettings, hashKey: PiiHashKey, controls: ControlReport[]): RedactionResult {
  return runPiiControl(settings, controls, () => redactChatRequest(request, settings, hashKey), () => ({ request, vault: new PiiVault(), findings: [], blocked: [] }));
}

/** The 400 of a request holding an entity the policy blocks; `param` names the field that held it. */
export function piiBlockedError(blocked: readonly PiiEntityType[], controls: ControlReport[], param: string): GatewayError {
  return new GatewayError("guardrail_blocked", `Request blocked by PII policy: contains ${blocked.join(", ")}.`, {
    param,
    headers: { "x-guardrails": guardrailsHeader({ controls }) },
  });
}

function runInjection(request: ChatCompletionRequest, settings: GuardrailSettings, controls: ControlReport[]): InjectionVerdict | null {
  const { enabled, action, threshold } = settings.injection;
  if (!enabled) {
    controls.push({ name: "injection", action: "off", status: "skipped" });
    return null;
  }
  try {
    const verdict = screenInjection(request, threshold);
    controls.push({ name: "injection", action, status: "ran", score: verdict.score });
    return verdict;
  } catch (cause) {
    if (action === "block") throw new GatewayError("control_failed", "The prompt-injection guardrail could not run; the request was not sent.", { cause });
    controls.push({ name: "injection", action, status: "failed_open" });
    return null;
  }
}

export async function runInputGuardrails(request: ChatCompletionRequest, settings: GuardrailSettings, hashKey: PiiHashKey): Promise<GuardrailOutcome> {
  const controls: ControlReport[] = [];
  const fields = forwardedFields(request, settings.strictFields);
  if (fields.dropped > 0) controls.push({ name: "fields", action: "drop", status: "ran", dropped: fields.dropped });
  const red = runPii(fields.request, settings, hashKey, controls);
  if (red.blocked.length > 0) throw piiBlockedError(red.blocked, controls, "messages");
  const verdict = runInjection(red.request, settings, controls);
  if (verdict?.label === "injection" && settings.injection.action === "block") {
    throw new GatewayError("guardrail_blocked", `Request blocked: prompt injection detected in ${verdict.source ?? "input"} content.`, {
      param: "messages",
      headers: { "x-guardrails": guardrailsHeader({ controls }) },
    });
  }
  return {
    request: stripInvisibleRequest(red.request),
    vault: red.vault,
    pii: { findings: red.findings, blocked: red.blocked },
    injection: verdict,
    flagged: verdict?.label === "injection",
    controls,
  };
}

/** `pii=redact;injection=flag(0.12)`; a control that failed open shows `!failed_open`. Never contains PII. */
export function guardrailsHeader(outcome: Pick<GuardrailOutcome, "controls">): string {
  return outcome.controls
    .map((c) => {
      const score = c.score !== undefined ? `(${c.score.toFixed(2)})` : c.dropped !== undefined ? `(${c.dropped})` : "";
      const status = c.status === "ran" ? "" : `!${c.status}`;
      return `${c.name}=${c.action}${score}${status}`;
    })
    .join(";");
}
