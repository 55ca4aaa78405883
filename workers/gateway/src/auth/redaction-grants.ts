/**
 * Weakening PII protection is a content grant (docs/access-control.md, "Weakening redaction
 * needs content:read"). The redaction settings decide what of the callers' text reaches
 * upstreams, judges, the cache (whose answers other end users are served), stored traces, exports
 * and trace spans; an admin that may not read content must not be able to arrange for more of
 * it to be let through. So a settings change that lets more PII through needs `content:read`, or
 * the operator scope (which may grant `content:read` anyway); tightening stays open to every admin
 * the other grant rules (grants.ts) allow.
 *
 * Compared on effective settings (layers merged), before and after the write, for every layer the
 * write changes: a PUT replaces a whole layer, so dropping a section can weaken as much as
 * changing it.
 */
import type { PiiAction } from "../guardrails/settings";
import type { PiiSettings } from "../guardrails/redact/policy";
import type { PiiEntityType } from "../guardrails/types";
import type { TelemetrySettings } from "../telemetry/otel/settings";
import { CONTENT_READ_SCOPE } from "./content-access";
import type { Grantor, Violation } from "./grants";

/** What of a tenant's effective settings decides how much content leaves redaction. */
export interface ContentControls {
  guardrails: { pii: PiiSettings };
  telemetry: TelemetrySettings;
}

/** The effective settings of one layer before and after a write (feature null = tenant-wide). */
export interface SettingsChange {
  feature: string | null;
  before: ContentControls;
  after: ContentControls;
}

/**
 * Protection per action, strongest first: `block` refuses the request; `redact` keeps nothing of
 * the value (placeholders are numbered per request); `hash` keeps a stable pseudonym that links
 * the value across requests; `mask` keeps part of it (last four characters, an email's domain);
 * `allow` all of it.
 */
export const PII_ACTION_STRENGTH: Readonly<Record<PiiAction, number>> = { block: 4, redact: 3, hash: 2, mask: 1, allow: 0 };

type Rule<T> = (before: T, after: T) => string[];
const turnedOff: Rule<boolean> = (b, a) => (b && !a ? [""] : []);

/**
 * One rule per field, typed over every key: a new PII or telemetry setting does not compile
 * until it is classified here. Each returns the weakened sub-paths ("" = the field itself).
 */
const PII_RULES: { [K in keyof PiiSettings]-?: Rule<PiiSettings[K]> } = {
  enabled: turnedOff,
  entities: (b, a) => (Object.keys(a) as PiiEntityType[]).filter((t) => PII_ACTION_STRENGTH[a[t]] < PII_ACTION_STRENGTH[b[t]]).map((t) => `.${t}`),
  // Findings scoring below minScore are ignored: raising it lets more through.
  minScore: (b, a) => (a > b ? [""] : []),
  // Recognizers (phone regions, name cues) differ by language, and neither direction is known to
  // detect at least as much, so any change counts.
  language: (b, a) => (a !== b ? [""] : []),
  // Off: PII the model writes (e.g. from context it was given) goes back and into the cache as is.
  scanOutput: turnedOff,
  // Forwarding token-id embeddings inputs sends text nobody scanned.
  tokenIdInputs: (b, a) => (b === "refuse" && a === "forward_unscanned" ? [""] : []),
  // Forwarding images, PDFs and audio sends bytes nobody read.
  opaqueInputs: (b, a) => (b === "refuse" && a === "forward" ? [""] : []),
};

const TELEMETRY_RULES: { [K in keyof TelemetrySettings]-?: Rule<TelemetrySettings[K]> } = {
  // The exchange on trace spans goes to whoever reads the OTLP collector, outside every key's role.
  captureContent: (b, a) => (!b && a ? [""] : []),
};

function weakenedFields<T extends object>(rules: { [K in keyof T]-?: Rule<T[K]> }, prefix: string, before: T, after: T): string[] {
  return (Object.keys(rules) as (keyof T & string)[]).flatMap((k) => rules[k](before[k], after[k]).map((sub) => `${prefix}.${k}${sub}`));
}

/** The settings paths a change weakens, e.g. ["guardrails.pii.entities.PERSON"]; [] when none. */
export function redactionWeakenings(before: ContentControls, after: ContentControls): string[] {
  const b = before.guardrails.pii;
  const a = after.guardrails.pii;
  // With PII detection off nothing is protected: from there any setting is at least as strong,
  // and turning it off weakens whatever the other fields say.
  const pii = !a.enabled ? (b.enabled ? ["guardrails.pii.enabled"] : []) : !b.enabled ? [] : weakenedFields(PII_RULES, "guardrails.pii", b, a);
  return [...pii, ...weakenedFields(TELEMETRY_RULES, "telemetry", before.telemetry, after.telemetry)];
}

/** Why `by` may not make these settings changes (they let more content through), or null. */
export function contentGrantViolation(by: Grantor, changes: readonly SettingsChange[]): Violation | null {
  if (by.operator || by.auth.scopes.includes(CONTENT_READ_SCOPE)) return null;
  for (const change of changes) {
    const weakened = redactionWeakenings(change.before, change.after);
    if (weakened.length === 0) continue;
    const where = change.feature === null ? "" : ` (as merged for feature ${JSON.stringify(change.feature)})`;
    return {
      param: weakened[0] ?? null,
      message:
        `This change lets more content through redaction (${weakened.join(", ")})${where}, which needs scope ${CONTENT_READ_SCOPE}. ` +
        "A PUT replaces the whole layer: to change other sections, re-send guardrails and telemetry as they are (GET …/settings).",
    };
  }
  return null;
}
