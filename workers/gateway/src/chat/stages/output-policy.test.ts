import { describe, expect, it } from "vitest";
import { GuardrailSettingsSchema } from "../../guardrails/settings";
import { outputNeedsWholeAnswer } from "./guardrails-stage";

describe("outputNeedsWholeAnswer", () => {
  it("asks for the whole answer only when an output entity is blocked and output scanning is on", () => {
    expect(outputNeedsWholeAnswer(GuardrailSettingsSchema.parse({}))).toBe(false);
    const blocking = GuardrailSettingsSchema.parse({ pii: { entities: { EMAIL_ADDRESS: "block" } } });
    expect(outputNeedsWholeAnswer(blocking)).toBe(true);
    expect(outputNeedsWholeAnswer(GuardrailSettingsSchema.parse({ pii: { entities: { EMAIL_ADDRESS: "block" }, scanOutput: false } }))).toBe(false);
    expect(outputNeedsWholeAnswer(GuardrailSettingsSchema.parse({ pii: { enabled: false, entities: { EMAIL_ADDRESS: "block" } } }))).toBe(false);
  });
});
