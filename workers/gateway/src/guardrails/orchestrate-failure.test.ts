import { describe, expect, it, vi } from "vitest";
import type { ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";
import { guardrailsHeader, runInputGuardrails } from "./orchestrate";
import { GuardrailSettingsSchema } from "./settings";
import { testHashKey } from "./testing/hash-key";

// The screen and the redactor are replaced by throwing fakes to prove the fail-closed contract.
vi.mock("./injection/screen", () => ({
  screenInjection: () => {
    throw new Error("model file corrupt");
  },
}));
vi.mock("./redact/redact-request", () => ({
  redactChatRequest: () => {
    throw new Error("detector crashed");
  },
}));

const req: ChatCompletionRequest = { model: "m", messages: [{ role: "user", content: "hello" }] };

describe("runInputGuardrails fail-closed", () => {
  it("throws control_failed when a blocking control throws", async () => {
    await expect(runInputGuardrails(req, GuardrailSettingsSchema.parse({}), testHashKey("s"))).rejects.toMatchObject({ kind: "control_failed" });
  });

  it("fails open and reports it when the failing controls only flag or allow", async () => {
    const allAllow = Object.fromEntries(
      Object.keys(GuardrailSettingsSchema.parse({}).pii.entities).map((k) => [k, "allow"]),
    );
    const s = GuardrailSettingsSchema.parse({ pii: { entities: allAllow }, injection: { action: "flag" } });
    const out = await runInputGuardrails(req, s, testHashKey("s"));
    expect(out.request).toEqual(req); // rebuilt from its known fields, unchanged
    expect(guardrailsHeader(out)).toBe("pii=redact!failed_open;injection=flag!failed_open");
  });
});
