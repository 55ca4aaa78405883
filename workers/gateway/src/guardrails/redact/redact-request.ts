import { GatewayError } from "../../../../../shared/errors";
import type { ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { mapRequestTexts, type IdentifierKind } from "../request-texts";
import type { GuardrailSettings } from "../settings";
import { piiPolicyActs, type PiiSettings } from "./policy";
import type { PiiEntityType } from "../types";
import { identifierSettings, idSafe, nameSafe } from "./identifiers";
import { redactJsonText } from "./redact-json";
import { redactText } from "./redact-text";
import type { PiiHashKey } from "./hash-key";
import type { ApplyResult } from "./transform";
import { PiiVault } from "./vault";

export interface RedactionResult {
  request: ChatCompletionRequest;
  vault: PiiVault;
  findings: Array<{ type: PiiEntityType; count: number }>;
  blocked: PiiEntityType[];
}

class Collector {
  readonly counts = new Map<PiiEntityType, number>();
  readonly blocked = new Set<PiiEntityType>();
  constructor(
    readonly settings: PiiSettings,
    readonly vault: PiiVault,
    readonly hashKey: PiiHashKey,
  ) {}

  #identifierSettings: PiiSettings | undefined;

  private tally(r: ApplyResult): string {
    for (const f of r.acted) this.counts.set(f.type, (this.counts.get(f.type) ?? 0) + 1);
    for (const t of r.blocked) this.blocked.add(t);
    return r.text;
  }

  /**
   * A payload labelled text that cannot be read (another charset, broken escapes) is refused
   * whenever the policy acts: it says it is text, and unchecked text must not pass. Binary
   * payloads (images, PDFs, audio) only with `opaqueInputs: "refuse"` (settings.ts).
   */
  opaque = (path: string, mediaType: string, kind: "binary" | "unreadable"): void => {
    if (!piiPolicyActs(this.settings) || (kind === "binary" && this.settings.opaqueInputs !== "refuse")) return;
    const label = mediaType.slice(0, 100);
    const why =
      kind === "unreadable"
        ? `is labelled ${label} but is not UTF-8 text the gateway can read, so it cannot be checked against the tenant's PII policy. Send it as UTF-8 (percent-encoded or base64).`
        : `is ${label} content, which this gateway cannot check against the tenant's PII policy, and this tenant refuses what it cannot check (guardrails.pii.opaqueInputs).`;
    throw new GatewayError("invalid_request", `${path} ${why}`, { param: path, code: "unscannable_input" });
  };

  text = (s: string, context = ""): string => this.tally(redactText(s, this.settings, this.vault, this.hashKey, context));

  /**
   * Names take the full policy, made name-safe; ids and function names only the structured
   * entities (identifiers.ts). A function name cannot be rewritten (the model must call it by
   * that name), so one holding PII is refused; a blocked entity is left to the block.
   */
  identifier = (s: string, kind: IdentifierKind, path: string): string => {
    if (kind === "name") {
      const out = this.text(s);
      return out === s ? s : nameSafe(out);
    }
    const settings = (this.#identifierSettings ??= identifierSettings(this.settings));
    const r = redactText(s, settings, this.vault, this.hashKey);
    if (kind === "id") return r.text === s ? this.tally(r) : idSafe(this.tally(r));
    const refused = r.acted.filter((f) => !r.blocked.includes(f.type)).map((f) => f.type);
    this.tally({ ...r, acted: r.acted.filter((f) => r.blocked.includes(f.type)) });
    if (refused.length > 0) {
      throw new GatewayError("invalid_request", `${path} contains ${[...new Set(refused)].join(", ")}: function and schema names are sent as they are, rename it.`, {
        param: path,
        code: "pii_in_identifier",
      });
    }
    return s;
  };
}

/**
 * Redacts every text an upstream receives (request-texts.ts lists them: message text, tool
 * calls and results, names, tool definitions and schemas, stop, prediction ...). One vault per
 * request, so "Jane" is <PERSON_1> in every turn and field, and a placeholder the model echoes
 * from a tool's enum is restored like one from a message. The input request is not mutated.
 */
export function redactChatRequest(request: ChatCompletionRequest, settings: GuardrailSettings, hashKey: PiiHashKey): RedactionResult {
  const vault = new PiiVault();
  if (!settings.pii.enabled) return { request, vault, findings: [], blocked: [] };
  const col = new Collector(settings.pii, vault, hashKey);
  return {
    request: mapRequestTexts(request, { text: col.text, json: (raw) => redactJsonText(raw, col.text), identifier: col.identifier, opaque: col.opaque }),
    vault,
    findings: [...col.counts].map(([type, count]) => ({ type, count })),
    blocked: [...col.blocked],
  };
}
