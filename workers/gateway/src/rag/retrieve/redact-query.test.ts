import { describe, expect, it } from "vitest";
import { GatewayError } from "../../../../../shared/errors";
import { GuardrailSettingsSchema } from "../../guardrails/settings";
import { redactSearchQuery } from "./redact-query";

const settings = (pii: Record<string, unknown> = {}) => GuardrailSettingsSchema.parse({ pii });

describe("search queries under the tenant's PII policy", () => {
  it("replaces identifiers with placeholders before the query reaches the embedder or the reranker", () => {
    const q = redactSearchQuery("which invoices did orla.finnegan@quaymail.example approve last spring?", settings(), "tenant-a");
    expect(q).not.toContain("orla.finnegan@quaymail.example");
    expect(q).toMatch(/<EMAIL_ADDRESS_1> approve last spring\?$/);
  });

  it("leaves the query alone when the tenant turned PII redaction off", () => {
    const text = "which invoices did orla.finnegan@quaymail.example approve?";
    expect(redactSearchQuery(text, settings({ enabled: false }), "tenant-a")).toBe(text);
  });

  it("refuses a query holding an entity the policy blocks, as a chat prompt would be refused", () => {
    const run = () => redactSearchQuery("refund card 4111 1111 1111 1111 please", settings({ entities: { CREDIT_CARD: "block" } }), "tenant-a");
    expect(run).toThrow(GatewayError);
    expect(run).toThrow(/CREDIT_CARD/);
  });
});
