import type { ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { mapRequestTexts } from "../request-texts";
import type { GuardrailSettings } from "../settings";
import type { PiiEntityType } from "../types";
import { redactJsonText } from "./redact-json";
import { redactText } from "./redact-text";
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
    readonly settings: GuardrailSettings["pii"],
    readonly vault: PiiVault,
    readonly salt: string,
  ) {}

  text = (s: string, context = ""): string => {
    const r = redactText(s, this.settings, this.vault, this.salt, context);
    for (const f of r.acted) this.counts.set(f.type, (this.counts.get(f.type) ?? 0) + 1);
    for (const t of r.blocked) this.blocked.add(t);
    return r.text;
  };
}

/**
 * Redacts every message's text (string and text parts, all roles), assistant tool-call
 * arguments and tool results. One vault per request, so "Jane" is <PERSON_1> in every turn.
 * The input request is not mutated.
 */
export function redactChatRequest(request: ChatCompletionRequest, settings: GuardrailSettings, salt: string): RedactionResult {
  const vault = new PiiVault();
  if (!settings.pii.enabled) return { request, vault, findings: [], blocked: [] };
  const col = new Collector(settings.pii, vault, salt);
  return {
    request: mapRequestTexts(request, { text: (s) => col.text(s), json: (raw) => redactJsonText(raw, col.text) }),
    vault,
    findings: [...col.counts].map(([type, count]) => ({ type, count })),
    blocked: [...col.blocked],
  };
}
