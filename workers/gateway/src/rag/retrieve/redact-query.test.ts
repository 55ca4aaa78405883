import { describe, expect, it } from "vitest";
import { GatewayError } from "../../../../../shared/errors";
import { GuardrailSettingsSchema } from "../../guardrails/settings";
import { redactSearchQuery } from "./redact-query";
import { testHashKey } from "../../guardrails/testing/hash-key";

const settings = (pii: Record<string, unknown> = {}) => GuardrailSettingsSchema.parse({ pii });

describe("search queries under the tenant's PII policy", () => {
  it("replaces identifiers with placeholders before the query reaches the embedder or the reranker", () => {
    const q = redactSearchQuery("which invoices did orla.finnegan@quaymail.example approve last spring?", settings(), testHashKey("tenant-a"));
    expect(JSON.stringify(q)).not.toContain("orla.finnegan");
    expect(q.redacted).toBe("which invoices did <EMAIL_ADDRESS_1> approve last spring?");
    // Searched without the placeholder, whose tokens would match every redacted e-mail.
    expect(q.searched).toBe("which invoices did approve last spring?");
  });

  it("refuses a query that is nothing but personal data", () => {
    expect(() => redactSearchQuery(" orla.finnegan@quaymail.example ", settings(), testHashKey("tenant-a"))).toThrow(/nothing to search with/);
  });

  it("leaves the query alone when the tenant turned PII redaction off", () => {
    const text = "which invoices did orla.finnegan@quaymail.example approve?";
    expect(redactSearchQuery(text, settings({ enabled: false }), testHashKey("tenant-a"))).toEqual({ redacted: text, searched: text });
  });

  it("refuses a query holding an entity the policy blocks, as a chat prompt would be refused", () => {
    const run = () => redactSearchQuery("refund card 4111 1111 1111 1111 please", settings({ entities: { CREDIT_CARD: "block" } }), testHashKey("tenant-a"));
    expect(run).toThrow(GatewayError);
    expect(run).toThrow(/CREDIT_CARD/);
  });
});
