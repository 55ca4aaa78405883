import { detectPii } from "../pii/detect";
import type { PiiEntityType, PiiFinding } from "../types";
import type { PiiSettings } from "./policy";
import type { PiiHashKey } from "./hash-key";
import { applyPolicy, type ApplyResult } from "./transform";
import { PLACEHOLDER, type PiiVault } from "./vault";

/** Only entities with an action other than allow are worth detecting. */
export function activeEntities(settings: PiiSettings): PiiEntityType[] {
  return (Object.entries(settings.entities) as Array<[PiiEntityType, string]>).filter(([, a]) => a !== "allow").map(([t]) => t);
}

/**
 * Findings that overlap one of our own placeholders (`<PERSON_1>`, `<DOC_EMAIL_ADDRESS_2>`) are
 * dropped: text redacted once can be redacted again (exports, a client echoing a placeholder),
 * and "Dr. <PERSON_1>" must not become "Dr. <<PERSON_2>_1>".
 */
function outsidePlaceholders(text: string, findings: PiiFinding[]): PiiFinding[] {
  if (!text.includes("<") || findings.length === 0) return findings;
  const spans = [...text.matchAll(PLACEHOLDER)].map((m) => [m.index, m.index + m[0].length] as const);
  return spans.length ? findings.filter((f) => !spans.some(([s, e]) => f.start < e && s < f.end)) : findings;
}

export function detectFor(text: string, settings: PiiSettings, entities?: readonly PiiEntityType[]): PiiFinding[] {
  return outsidePlaceholders(text, detectPii(text, { entities: entities ?? activeEntities(settings), language: settings.language, minScore: settings.minScore }));
}

/**
 * `context` (e.g. a JSON key like "ssn") is prepended for detection only, so labelled values
 * are recognised; findings inside the context itself are ignored.
 */
export function redactText(text: string, settings: PiiSettings, vault: PiiVault, hashKey: PiiHashKey, context = ""): ApplyResult {
  if (text.length === 0) return { text, acted: [], blocked: [] };
  if (context === "") return applyPolicy(text, detectFor(text, settings), settings, vault, hashKey);
  const prefix = `${context.replace(/[_-]/g, " ")}: `;
  const findings = detectFor(prefix + text, settings)
    .filter((f) => f.start >= prefix.length)
    .map((f) => ({ ...f, start: f.start - prefix.length, end: f.end - prefix.length }));
  return applyPolicy(text, findings, settings, vault, hashKey);
}
