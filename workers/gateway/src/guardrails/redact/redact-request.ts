import type { ChatCompletionRequest, ChatMessage, MessageContent } from "../../../../../shared/schemas/openai-chat";
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

  content = (c: MessageContent): MessageContent => {
    if (typeof c === "string") return this.text(c);
    // Only text parts carry text we can read; image/audio/file parts pass through untouched.
    return c.map((p) => (p.type === "text" && typeof p.text === "string" ? { ...p, text: this.text(p.text) } : p));
  };
}

function redactMessage(m: ChatMessage, col: Collector): ChatMessage {
  if (m.role === "assistant") {
    const content = m.content == null ? m.content : col.content(m.content);
    const tool_calls = m.tool_calls?.map((tc) => ({
      ...tc,
      function: { ...tc.function, arguments: redactJsonText(tc.function.arguments, col.text) },
    }));
    return { ...m, content, ...(tool_calls ? { tool_calls } : {}) };
  }
  return { ...m, content: col.content(m.content) } as ChatMessage;
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
  const messages = request.messages.map((m) => redactMessage(m, col));
  return {
    request: { ...request, messages },
    vault,
    findings: [...col.counts].map(([type, count]) => ({ type, count })),
    blocked: [...col.blocked],
  };
}
