import { describe, expect, it } from "vitest";
import type { GatewayError } from "../../../../shared/errors";
import { ChatCompletionRequestSchema } from "../../../../shared/schemas/openai-chat";
import { guardrailsHeader, runInputGuardrails } from "./orchestrate";
import { GuardrailSettingsSchema } from "./settings";
import { testHashKey } from "./testing/hash-key";

const req = (extra: Record<string, unknown>) => ChatCompletionRequestSchema.parse({ model: "m", messages: [{ role: "user", content: "Summarise the meeting." }], ...extra });
const lenient = GuardrailSettingsSchema.parse({});
const strict = GuardrailSettingsSchema.parse({ strictFields: true });
const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as GatewayError);

describe("fields the gateway does not forward", () => {
  it("are dropped, counted in x-guardrails, and never reach the forwarded request", async () => {
    const out = await runInputGuardrails(req({ store: true, x_debug: "jane.doe@example.com", messages: [{ role: "user", content: "hi", x: 1 }] }), lenient, testHashKey("t"));
    expect(out.request).toEqual({ model: "m", messages: [{ role: "user", content: "hi" }] });
    expect(guardrailsHeader(out)).toMatch(/^fields=drop\(3\);pii=/);
  });

  it("strict tenants get a 400 naming the first one: unknown_parameter or unsupported_parameter", async () => {
    const unknown = await failure(runInputGuardrails(req({ messages: [{ role: "user", content: "hi", x_trace: "1" }] }), strict, testHashKey("t")));
    expect(unknown).toMatchObject({ status: 400, code: "unknown_parameter", param: "messages.0.x_trace" });
    expect(unknown?.message).toMatch(/guardrails\.strictFields/);
    expect(await failure(runInputGuardrails(req({ service_tier: "priority" }), strict, testHashKey("t")))).toMatchObject({ status: 400, code: "unsupported_parameter", param: "service_tier" });
    await expect(runInputGuardrails(req({ temperature: 0.3, user: "eu_0123" }), strict, testHashKey("t"))).resolves.toBeDefined();
  });

  it("legacy function calling, audio output and unknown content parts are a 400 in every mode", async () => {
    for (const [extra, param] of [
      [{ functions: [{ name: "f" }] }, "functions"],
      [{ function_call: "auto" }, "function_call"],
      [{ modalities: ["text", "audio"], audio: { voice: "alloy", format: "wav" } }, "modalities"],
      [{ messages: [{ role: "user", content: [{ type: "video_url", video_url: { url: "https://v" } }] }] }, "messages.0.content.0.type"],
    ] as const) {
      expect(await failure(runInputGuardrails(req(extra), lenient, testHashKey("t")))).toMatchObject({ status: 400, param });
    }
    await expect(runInputGuardrails(req({ modalities: ["text"] }), strict, testHashKey("t"))).resolves.toBeDefined();
  });
});
