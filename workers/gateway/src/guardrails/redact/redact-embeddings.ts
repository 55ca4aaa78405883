/**
 * The tenant's PII policy on a /v1/embeddings request's `input`, before the upstream sees it.
 * Every string input is redacted like a chat message (same detectors, same per-entity actions),
 * each with a vault of its own: the client gets vectors, never text, so placeholders are not
 * restored, and a text's redacted form (hence its vector) does not depend on what else was in
 * the batch. Token-id inputs cannot be read: see refuseUnscannable below.
 */
import { GatewayError } from "../../../../../shared/errors";
import type { EmbeddingsRequest } from "../../../../../shared/schemas/openai-embeddings";
import { piiBlockedError, runPiiControl, type ControlReport } from "../orchestrate";
import type { GuardrailSettings } from "../settings";
import type { PiiEntityType } from "../types";
import type { PiiHashKey } from "./hash-key";
import { redactText } from "./redact-text";
import { piiPolicyActs } from "./policy";
import { PiiVault } from "./vault";

type EmbeddingsInput = EmbeddingsRequest["input"];

export interface EmbeddingsRedaction {
  input: EmbeddingsInput;
  /** Entity counts acted on across all inputs (no text). */
  findings: Array<{ type: PiiEntityType; count: number }>;
  controls: ControlReport[];
}

const isTextInput = (input: EmbeddingsInput): input is string | string[] => typeof input === "string" || typeof input[0] === "string";

/**
 * Token ids (`[1, 2]`, `[[1, 2]]`) are the client's own tokenization of text the gateway cannot
 * see, so no entity in them can be found. While the policy acts on any entity they are refused
 * (400): sending them on would let unchecked text reach the upstream. A tenant may choose to
 * forward them unscanned (`pii.tokenIdInputs`, settings.ts); a policy that acts on nothing has
 * nothing to check.
 */
function refuseUnscannable(settings: GuardrailSettings): void {
  if (!piiPolicyActs(settings.pii) || settings.pii.tokenIdInputs === "forward_unscanned") return;
  throw new GatewayError(
    "invalid_request",
    "Token-id inputs cannot be checked against this tenant's PII policy. Send the text as a string or an array of strings " +
      "(LangChain's Python OpenAIEmbeddings: check_embedding_ctx_length=False), or ask an admin with content:read to set guardrails.pii.tokenIdInputs to \"forward_unscanned\".",
    { param: "input", code: "unscannable_input" },
  );
}

function redactStrings(texts: readonly string[], settings: GuardrailSettings, hashKey: PiiHashKey) {
  const counts = new Map<PiiEntityType, number>();
  const blocked = new Set<PiiEntityType>();
  const out = texts.map((text) => {
    const r = redactText(text, settings.pii, new PiiVault(), hashKey);
    for (const f of r.acted) counts.set(f.type, (counts.get(f.type) ?? 0) + 1);
    for (const t of r.blocked) blocked.add(t);
    return r.text;
  });
  return { out, findings: [...counts].map(([type, count]) => ({ type, count })), blocked: [...blocked] };
}

/** Throws the chat path's errors: 400 content_blocked for a blocked entity, 503 when the control cannot run. */
export function redactEmbeddingsInput(input: EmbeddingsInput, settings: GuardrailSettings, hashKey: PiiHashKey): EmbeddingsRedaction {
  const controls: ControlReport[] = [];
  if (!isTextInput(input)) {
    refuseUnscannable(settings);
    const action = settings.pii.enabled ? "unscanned" : "off";
    return { input, findings: [], controls: [{ name: "pii", action, status: "skipped" }] };
  }
  const texts = typeof input === "string" ? [input] : input;
  const red = runPiiControl(
    settings,
    controls,
    () => redactStrings(texts, settings, hashKey),
    () => ({ out: texts, findings: [], blocked: [] }),
  );
  if (red.blocked.length > 0) throw piiBlockedError(red.blocked, controls, "input");
  return { input: typeof input === "string" ? (red.out[0] ?? "") : red.out, findings: red.findings, controls };
}
