import { describe, expect, it } from "vitest";
import { GuardrailSettingsSchema } from "../settings";
import { scanOutput } from "./scan-output";
import { PiiVault } from "./vault";
import { testHashKey } from "../testing/hash-key";

describe("scanOutput", () => {
  const v = new PiiVault();
  v.placeholderFor("EMAIL_ADDRESS", "jane@example.com");

  it("redacts PII the user did not send, keeps the user's own", () => {
    const s = GuardrailSettingsSchema.parse({});
    const out = scanOutput("Sure <EMAIL_ADDRESS_1>; also jane@example.com and bob@corp.io", v, s, testHashKey("ten_a"));
    expect(out.text).toBe("Sure <EMAIL_ADDRESS_1>; also jane@example.com and <EMAIL_ADDRESS_REDACTED>");
    expect(out.findings.map((f) => f.type)).toEqual(["EMAIL_ADDRESS"]);
  });

  it("reports blocked entity types and masks per policy", () => {
    const s = GuardrailSettingsSchema.parse({ pii: { entities: { CREDIT_CARD: "mask", US_SSN: "block" } } });
    const out = scanOutput("card 4539 1488 0343 6467, ssn 521-44-9382", v, s, testHashKey("ten_a"));
    expect(out.text).toContain("****6467");
    expect(out.blocked).toEqual(["US_SSN"]);
  });

  // The policy's form of an answer is what events and the cache hold, and a cache replay scans it
  // again: a second scan must leave it as it is, for every action that rewrites text.
  it.each(["redact", "mask", "hash"] as const)("leaves its own %s output alone when scanning it again", (action) => {
    const entities = { EMAIL_ADDRESS: action, CREDIT_CARD: action, US_SSN: action, PHONE_NUMBER: action, US_BANK_NUMBER: action, API_KEY: action };
    const s = GuardrailSettingsSchema.parse({ pii: { entities } });
    const answer = "Sure <EMAIL_ADDRESS_1>: the card 4539 1488 0343 6467, ssn 521-44-9382 and the desk at orders.team@harbour.example are on file.";
    const once = scanOutput(answer, v, s, testHashKey("ten_a")).text;
    expect(once).not.toContain("4539 1488");
    expect(once).not.toContain("orders.team@");
    expect(once).toContain("<EMAIL_ADDRESS_1>");
    const again = scanOutput(once, v, s, testHashKey("ten_a"), { storedForm: true });
    expect(again.text).toBe(once);
    expect(again.findings).toEqual([]);
  });

  it("in a stored answer, does not take a hash's hex for a new entity next to a label", () => {
    // Hex that reads as a phone number, and hex after "key" (SECRET), as a hash may come out.
    const s = GuardrailSettingsSchema.parse({});
    const text = "Call <PHONE_NUMBER:4155550134a0>; api key <API_KEY:0123456789ab>.";
    expect(scanOutput(text, v, s, testHashKey(""), { storedForm: true }).text).toBe(text);
  });

  // A model can be asked (by a user, or by an injected tool result) to wrap real PII in the shape
  // of our markers; fresh text never gets the stored form's trust, and digits-only hex never does.
  it.each([
    ["account number <US_BANK_NUMBER:310987654321>", "US_BANK_NUMBER"],
    ["reach her on <PHONE_NUMBER:442079460718>", "PHONE_NUMBER"],
  ] as const)("a marker-shaped string around real digits does not get through a block: %s", (text, type) => {
    const s = GuardrailSettingsSchema.parse({ pii: { entities: { [type]: "block" } } });
    expect(scanOutput(text, v, s, testHashKey("ten_a")).blocked).toEqual([type]);
    expect(scanOutput(text, v, s, testHashKey(""), { storedForm: true }).blocked).toEqual([type]);
  });

  it("a marker-shaped string around a secret in fresh text is still a secret", () => {
    const s = GuardrailSettingsSchema.parse({});
    const out = scanOutput("use key <API_KEY:0123456789ab>cdef0123456789abcdef0123 for the export", v, s, testHashKey("ten_a"));
    expect(out.findings.length).toBeGreaterThan(0);
    expect(out.text).not.toContain("cdef0123456789abcdef0123");
  });

  it("needs the hash key from every caller (a default would fail closed only after the billed upstream call)", () => {
    const v = new PiiVault();
    const s = GuardrailSettingsSchema.parse({});
    // @ts-expect-error: the key is a required parameter (review s12-sec finding 7); typecheck fails if it gets a default again.
    const call = () => scanOutput("nothing to see", v, s);
    expect(typeof call).toBe("function");
  });
});
