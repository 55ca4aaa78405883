import type { PiiSettings } from "./policy";
import type { PiiHashKey } from "./hash-key";
import type { PiiEntityType, PiiFinding } from "../types";
import type { PiiVault } from "./vault";

/** `****1234`: keeps the last four characters, which people use to recognise their own card. */
export function maskValue(type: PiiEntityType, value: string): string {
  if (type === "EMAIL_ADDRESS") {
    const at = value.indexOf("@");
    return `${value.slice(0, 1)}***${value.slice(at)}`;
  }
  const compact = value.replace(/[\s-]/g, "");
  if (compact.length <= 6) return "*".repeat(compact.length);
  return `****${compact.slice(-4)}`;
}

/** Keyed per tenant from the deployment's secret (hash-key.ts): alike within a tenant, different across tenants. */
export function hashValue(type: PiiEntityType, value: string, key: PiiHashKey): string {
  return `<${type}:${key.hex12(`${type}\u0000${value}`)}>`;
}

export interface ApplyResult {
  text: string;
  /** Findings that were acted on (everything but `allow`). */
  acted: PiiFinding[];
  blocked: PiiEntityType[];
}

/** Applies per-entity actions to sorted, non-overlapping findings, left to right (so numbering reads naturally). */
export function applyPolicy(
  text: string,
  findings: readonly PiiFinding[],
  settings: PiiSettings,
  vault: PiiVault,
  hashKey: PiiHashKey,
): ApplyResult {
  const acted: PiiFinding[] = [];
  const blocked = new Set<PiiEntityType>();
  const parts: string[] = [];
  let cursor = 0;
  for (const f of findings) {
    const action = settings.entities[f.type];
    if (action === "allow" || f.start < cursor) continue;
    acted.push(f);
    if (action === "block") {
      blocked.add(f.type);
      continue;
    }
    const replacement =
      action === "redact" ? vault.placeholderFor(f.type, f.text) : action === "mask" ? maskValue(f.type, f.text) : hashValue(f.type, f.text, hashKey);
    parts.push(text.slice(cursor, f.start), replacement);
    cursor = f.end;
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(""), acted, blocked: [...blocked] };
}
