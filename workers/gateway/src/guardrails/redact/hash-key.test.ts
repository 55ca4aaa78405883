import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetConfigWarnings } from "../../../../../shared/config-warning";
import { GatewayError } from "../../../../../shared/errors";
import { GuardrailSettingsSchema } from "../settings";
import { NO_PII_HASH_KEY, piiHashKeyFor, tenantPiiHashKey } from "./hash-key";
import { redactText } from "./redact-text";
import { scanOutput } from "./scan-output";
import { PiiVault } from "./vault";

const SECRET_A = "harbour-lights-key-7f3e91c2a4b6d8e0f1a3c5e7";
const SECRET_B = "quarry-bells-key-0b2d4f6a8c1e3a5c7e9f1b3d5";
const hashing = GuardrailSettingsSchema.parse({ pii: { scanOutput: true, entities: { US_SSN: "hash", PHONE_NUMBER: "hash", EMAIL_ADDRESS: "redact" } } });
const notHashing = GuardrailSettingsSchema.parse({ pii: { entities: { US_SSN: "mask", PHONE_NUMBER: "redact" } } });
const SENTENCE = "Forward the lease to the tenant whose social security number is 618-32-9047 before Friday.";

const tokenOf = (text: string): string => /<US_SSN:[0-9a-f]{12}>/.exec(text)?.[0] ?? "none";
const redacted = (secret: string, tenant: string, text = SENTENCE): string => redactText(text, hashing.pii, new PiiVault(), tenantPiiHashKey(secret, tenant)).text;

afterEach(() => {
  resetConfigWarnings();
  vi.restoreAllMocks();
});

describe("the hash action's key", () => {
  it("is HMAC(HMAC(secret, 'pii-hash v1' NUL tenant), type NUL value), 12 hex digits", () => {
    const tenantKey = createHmac("sha256", SECRET_A).update("pii-hash v1\u0000ten_marlow").digest();
    const expected = createHmac("sha256", tenantKey).update("US_SSN\u0000618-32-9047").digest("hex").slice(0, 12);
    expect(tokenOf(redacted(SECRET_A, "ten_marlow"))).toBe(`<US_SSN:${expected}>`);
  });

  it("no longer makes the token anyone could recompute from the tenant id", () => {
    const old = createHmac("sha256", "ten_marlow").update("US_SSN\u0000618-32-9047").digest("hex").slice(0, 12);
    expect(tokenOf(redacted(SECRET_A, "ten_marlow"))).not.toBe(`<US_SSN:${old}>`);
  });

  it("hashes a value alike within a tenant, across requests and texts", () => {
    const first = tokenOf(redacted(SECRET_A, "ten_marlow"));
    const again = tokenOf(redacted(SECRET_A, "ten_marlow", "Her number, 618-32-9047, is on the second page of the form."));
    expect(first).toMatch(/^<US_SSN:/);
    expect(again).toBe(first);
  });

  it("hashes it differently for another tenant and under another secret", () => {
    const base = tokenOf(redacted(SECRET_A, "ten_marlow"));
    expect(tokenOf(redacted(SECRET_A, "ten_pellow"))).not.toBe(base);
    expect(tokenOf(redacted(SECRET_B, "ten_marlow"))).not.toBe(base);
  });

  it("keys the output policy the same way as the input", () => {
    const key = tenantPiiHashKey(SECRET_A, "ten_marlow");
    const out = scanOutput("The file lists 618-32-9047 as the tenant's number.", new PiiVault(), hashing, key).text;
    expect(tokenOf(out)).toBe(tokenOf(redacted(SECRET_A, "ten_marlow")));
  });
});

describe("piiHashKeyFor: a missing PII_HASH_KEY fails closed outside local stacks", () => {
  const production = { ENVIRONMENT: "production" };

  it("uses the secret when it is set", () => {
    const key = piiHashKeyFor({ ...production, PII_HASH_KEY: SECRET_A }, "ten_marlow", hashing);
    expect(tokenOf(redactText(SENTENCE, hashing.pii, new PiiVault(), key).text)).toBe(tokenOf(redacted(SECRET_A, "ten_marlow")));
  });

  it("refuses a policy that hashes, with a 503 the client can read, and warns once per isolate", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    for (let i = 0; i < 3; i++) {
      const err = (() => {
        try {
          piiHashKeyFor(production, "ten_marlow", hashing);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err).toBeInstanceOf(GatewayError);
      expect(err).toMatchObject({ kind: "control_failed", status: 503, code: "pii_hash_key_missing" });
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain("PII_HASH_KEY");
  });

  it("lets a policy that does not hash through, and a hash asked of that key still refuses", () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const key = piiHashKeyFor(production, "ten_marlow", notHashing);
    expect(key).toBe(NO_PII_HASH_KEY);
    expect(redactText(SENTENCE, notHashing.pii, new PiiVault(), key).text).not.toContain("618-32-9047");
    expect(() => redactText(SENTENCE, hashing.pii, new PiiVault(), key)).toThrow(/no key for the PII `hash` action/);
  });

  it("treats an unset ENVIRONMENT, a staging one and a short secret as production", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(() => piiHashKeyFor({}, "ten_marlow", hashing)).toThrow(GatewayError);
    expect(() => piiHashKeyFor({ ENVIRONMENT: "staging" }, "ten_marlow", hashing)).toThrow(GatewayError);
    expect(() => piiHashKeyFor({ ...production, PII_HASH_KEY: "too-short" }, "ten_marlow", hashing)).toThrow(GatewayError);
    expect(warn.mock.calls.map((c) => String(c[0])).some((m) => m.includes("unusable"))).toBe(true);
  });

  it("keeps local stacks and tests working without a secret, tenants still apart", () => {
    const local = piiHashKeyFor({ ENVIRONMENT: "local" }, "ten_marlow", hashing);
    const other = piiHashKeyFor({ ENVIRONMENT: "local" }, "ten_pellow", hashing);
    const a = tokenOf(redactText(SENTENCE, hashing.pii, new PiiVault(), local).text);
    expect(a).toMatch(/^<US_SSN:/);
    expect(tokenOf(redactText(SENTENCE, hashing.pii, new PiiVault(), other).text)).not.toBe(a);
  });
});
