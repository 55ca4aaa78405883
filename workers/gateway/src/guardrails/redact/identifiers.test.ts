import { describe, expect, it } from "vitest";
import { GatewayError } from "../../../../../shared/errors";
import { ChatCompletionRequestSchema, type ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { GuardrailSettingsSchema } from "../settings";
import { redactChatRequest } from "./redact-request";
import { restoreText } from "./restore";
import { testHashKey } from "../testing/hash-key";

const settings = GuardrailSettingsSchema.parse({});
const redact = (body: Record<string, unknown>) => redactChatRequest(ChatCompletionRequestSchema.parse({ model: "m", ...body }), settings, testHashKey("t"));
const tool = (name: string, extra: Record<string, unknown> = {}) => ({ type: "function", function: { name, ...extra } });
const user = { role: "user", content: "hello" };

describe("identifiers", () => {
  it("a participant name is redacted and stays a valid OpenAI name", () => {
    const { request } = redact({ messages: [{ role: "user", content: "hi", name: "jane.doe@example.com" }] });
    expect(request.messages[0]).toMatchObject({ name: "EMAIL_ADDRESS_1" });
  });

  it("tool-call ids holding PII are rewritten the same way in the call and its result", () => {
    const id = "call_jane.doe@example.com";
    const { request } = redact({
      messages: [user, { role: "assistant", content: null, tool_calls: [{ id, type: "function", function: { name: "f", arguments: "{}" } }] }, { role: "tool", tool_call_id: id, content: "ok" }],
    });
    const call = (request.messages[1] as Extract<ChatCompletionRequest["messages"][number], { role: "assistant" }>).tool_calls?.[0]?.id;
    expect(call).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(call).not.toContain("jane");
    expect(request.messages[2]).toMatchObject({ tool_call_id: call });
  });

  it("ordinary ids and function names keep their bytes (no tagger or entropy guesses on identifiers)", () => {
    const { request } = redact({
      messages: [user, { role: "assistant", content: null, tool_calls: [{ id: "call_Dn2r2Ukk3dLCePb8hhXYh5YS", type: "function", function: { name: "get_stock_price", arguments: "{}" } }] }],
      tools: [tool("get_stock_price"), tool("book_flight_to_paris")],
    });
    expect(JSON.stringify(request)).toContain("call_Dn2r2Ukk3dLCePb8hhXYh5YS");
    expect(request.tools?.map((t) => t.function.name)).toEqual(["get_stock_price", "book_flight_to_paris"]);
  });

  it("a function name holding PII is a 400: it cannot be rewritten and still be called", () => {
    const err = (() => {
      try {
        redact({ messages: [user], tools: [tool("ok"), tool("refund_4111111111111111")] });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 400, code: "pii_in_identifier", param: "tools.1.function.name" });
  });

  it("tool descriptions and every schema leaf are redacted into the request's vault, so an echoed enum value is restored", () => {
    const { request, vault } = redact({
      messages: [user],
      tools: [tool("pick", { description: "Mail jane.doe@example.com", parameters: { type: "object", properties: { to: { type: "string", enum: ["ops@example.org"], default: 4111111111111111 } } } })],
      response_format: { type: "json_schema", json_schema: { name: "out", description: "Call +1 (415) 867-5309", schema: { type: "object", examples: [{ ssn: "123-45-6780" }] } } },
      stop: ["ops@example.org"],
    });
    const text = JSON.stringify(request);
    for (const v of ["jane.doe@example.com", "ops@example.org", "4111111111111111", "867-5309", "123-45-6780"]) expect(text).not.toContain(v);
    const enumValue = (request.tools?.[0]?.function.parameters as { properties: { to: { enum: string[] } } }).properties.to.enum[0] ?? "";
    expect(request.stop).toEqual([enumValue]);
    expect(restoreText(`{"to":"${enumValue}"}`, vault)).toBe('{"to":"ops@example.org"}');
  });
});
