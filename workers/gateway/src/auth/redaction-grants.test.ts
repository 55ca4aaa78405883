/** The content-grant rule for settings (redaction-grants.ts): which changes weaken, and who may make them. */
import { describe, expect, it } from "vitest";
import { resolveSettings, type TenantSettingsInput } from "../settings/tenant-settings";
import { contentGrantViolation, PII_ACTION_STRENGTH, redactionWeakenings, type SettingsChange } from "./redaction-grants";
import type { Caller, Grantor } from "./grants";

const effective = (layer: TenantSettingsInput) => resolveSettings([layer]);
const pii = (fields: Record<string, unknown>): TenantSettingsInput => ({ guardrails: { pii: fields } });

describe("redactionWeakenings", () => {
  const cases: Array<[string, TenantSettingsInput, TenantSettingsInput, string[]]> = [
    ["no change", {}, {}, []],
    ["PII detection turned off", {}, pii({ enabled: false }), ["guardrails.pii.enabled"]],
    ["PII detection turned on", pii({ enabled: false }), {}, []],
    ["off to on with looser entities is still tightening", pii({ enabled: false }), pii({ entities: { PERSON: "allow" } }), []],
    ["off stays off, entities loosened (nothing was protected)", pii({ enabled: false }), pii({ enabled: false, entities: { PERSON: "allow" } }), []],
    ["redact to allow", {}, pii({ entities: { US_SSN: "allow" } }), ["guardrails.pii.entities.US_SSN"]],
    ["redact to mask (keeps the last four)", {}, pii({ entities: { CREDIT_CARD: "mask" } }), ["guardrails.pii.entities.CREDIT_CARD"]],
    ["redact to hash (a linkable pseudonym)", {}, pii({ entities: { EMAIL_ADDRESS: "hash" } }), ["guardrails.pii.entities.EMAIL_ADDRESS"]],
    ["block to redact", pii({ entities: { PHONE_NUMBER: "block" } }), {}, ["guardrails.pii.entities.PHONE_NUMBER"]],
    ["allow to redact (URL is allowed by default)", {}, pii({ entities: { URL: "redact" } }), []],
    ["redact to block", {}, pii({ entities: { US_SSN: "block" } }), []],
    ["mask to hash", pii({ entities: { IBAN_CODE: "mask" } }), pii({ entities: { IBAN_CODE: "hash" } }), []],
    ["two loosened, one tightened", {}, pii({ entities: { PERSON: "mask", JWT: "allow", URL: "block" } }), ["guardrails.pii.entities.JWT", "guardrails.pii.entities.PERSON"]],
    ["minScore raised (fewer findings acted on)", {}, pii({ minScore: 0.9 }), ["guardrails.pii.minScore"]],
    ["minScore lowered", {}, pii({ minScore: 0.3 }), []],
    ["language changed", {}, pii({ language: "de" }), ["guardrails.pii.language"]],
    ["output scan turned off", {}, pii({ scanOutput: false }), ["guardrails.pii.scanOutput"]],
    ["output scan turned on", pii({ scanOutput: false }), {}, []],
    ["token-id embeddings inputs forwarded unscanned", {}, pii({ tokenIdInputs: "forward_unscanned" }), ["guardrails.pii.tokenIdInputs"]],
    ["token-id embeddings inputs refused again", pii({ tokenIdInputs: "forward_unscanned" }), {}, []],
    ["opaque payloads forwarded again", pii({ opaqueInputs: "refuse" }), {}, ["guardrails.pii.opaqueInputs"]],
    ["opaque payloads refused", {}, pii({ opaqueInputs: "refuse" }), []],
    ["content opted into trace spans", {}, { telemetry: { captureContent: true } }, ["telemetry.captureContent"]],
    ["content taken off trace spans", { telemetry: { captureContent: true } }, {}, []],
    ["dropping a stricter guardrails section (a PUT replaces the layer)", pii({ entities: { PERSON: "block" }, minScore: 0.4 }), { cache: { ttlSeconds: 600 } }, ["guardrails.pii.entities.PERSON", "guardrails.pii.minScore"]],
    ["injection and cache settings are not content controls", {}, { guardrails: { injection: { enabled: false } }, cache: { enabled: false } }, []],
  ];
  it.each(cases)("%s", (_name, before, after, weakened) => {
    expect(redactionWeakenings(effective(before), effective(after))).toEqual(weakened);
  });

  it("orders the PII actions block > redact > hash > mask > allow", () => {
    const order = Object.entries(PII_ACTION_STRENGTH).sort((a, b) => b[1] - a[1]).map(([action]) => action);
    expect(order).toEqual(["block", "redact", "hash", "mask", "allow"]);
  });
});

describe("contentGrantViolation", () => {
  const caller = (scopes: string[]): Caller => ({ scopes, models: null, tiers: null, features: null });
  const by = (scopes: string[], operator = false): Grantor => ({ auth: caller(scopes), operator });
  const loosen: SettingsChange = { feature: null, before: effective({}), after: effective(pii({ enabled: false })) };
  const tighten: SettingsChange = { feature: null, before: effective({}), after: effective(pii({ entities: { PERSON: "block" } })) };
  const looserFeature: SettingsChange = { feature: "support", before: effective({}), after: effective(pii({ entities: { PERSON: "allow" } })) };

  const cases: Array<[string, Grantor, SettingsChange[], string | null]> = [
    ["an admin without content:read may not loosen", by([]), [loosen], "guardrails.pii.enabled"],
    ["... nor loosen one feature's merge", by([]), [tighten, looserFeature], "guardrails.pii.entities.PERSON"],
    ["... but may tighten", by([]), [tighten], null],
    ["content:read may loosen", by(["content:read"]), [loosen, looserFeature], null],
    ["operators may loosen", by(["tenants:manage"], true), [loosen], null],
    ["other scopes do not count", by(["tenants:read", "content:write"]), [loosen], "guardrails.pii.enabled"],
  ];
  it.each(cases)("%s", (_name, grantor, changes, param) => {
    const v = contentGrantViolation(grantor, changes);
    expect(v?.param ?? null).toBe(param);
    if (v) expect(v.message).toContain("content:read");
  });

  it("names the feature whose merged settings would be weakened", () => {
    expect(contentGrantViolation(by([]), [looserFeature])?.message).toContain('feature "support"');
  });
});
