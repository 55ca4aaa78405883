import { describe, expect, it } from "vitest";
import { GuardrailSettingsSchema } from "../settings";
import { scanOutput } from "./scan-output";
import { PiiVault } from "./vault";

describe("scanOutput", () => {
  const v = new PiiVault();
  v.placeholderFor("EMAIL_ADDRESS", "jane@example.com");

  it("redacts PII the user did not send, keeps the user's own", () => {
    const s = GuardrailSettingsSchema.parse({});
    const out = scanOutput("Sure <EMAIL_ADDRESS_1>; also jane@example.com and bob@corp.io", v, s);
    expect(out.text).toBe("Sure <EMAIL_ADDRESS_1>; also jane@example.com and <EMAIL_ADDRESS_REDACTED>");
    expect(out.findings.map((f) => f.type)).toEqual(["EMAIL_ADDRESS"]);
  });

  it("reports blocked entity types and masks per policy", () => {
    const s = GuardrailSettingsSchema.parse({ pii: { entities: { CREDIT_CARD: "mask", US_SSN: "block" } } });
    const out = scanOutput("card 4539 1488 0343 6467, ssn 521-44-9382", v, s);
    expect(out.text).toContain("****6467");
    expect(out.blocked).toEqual(["US_SSN"]);
  });
});
