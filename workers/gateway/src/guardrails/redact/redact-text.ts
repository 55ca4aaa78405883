import { detectPii } from "../pii/detect";
import type { PiiEntityType, PiiFinding } from "../types";
import type { PiiSettings } from "./policy";
import { applyPolicy, type ApplyResult } from "./transform";
import type { PiiVault } from "./vault";

/** Only entities with an action other than allow are worth detecting. */
export function activeEntities(settings: PiiSettings): PiiEntityType[] {
  return (Object.entries(settings.entities) as Array<[PiiEntityType, string]>).filter(([, a]) => a !== "allow").map(([t]) => t);
}

export function detectFor(text: string, settings: PiiSettings, entities?: readonly PiiEntityType[]): PiiFinding[] {
  return detectPii(text, { entities: entities ?? activeEntities(settings), language: settings.language, minScore: settings.minScore });
}

/**
 * `context` (e.g. a JSON key like "ssn") is prepended for detection only, so labelled values
 * are recognised; findings inside the context itself are ignored.
 */
export function redactText(text: string, settings: PiiSettings, vault: PiiVault, salt: string, context = ""): ApplyResult {
  if (text.length === 0) return { text, acted: [], blocked: [] };
  if (context === "") return applyPolicy(text, detectFor(text, settings), settings, vault, salt);
  const prefix = `${context.replace(/[_-]/g, " ")}: `;
  const findings = detectFor(prefix + text, settings)
    .filter((f) => f.start >= prefix.length)
    .map((f) => ({ ...f, start: f.start - prefix.length, end: f.end - prefix.length }));
  return applyPolicy(text, findings, settings, vault, salt);
}
