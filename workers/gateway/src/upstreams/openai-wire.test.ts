import { describe, expect, it } from "vitest";
import { ChatCompletionRequestSchema } from "../../../../shared/schemas/openai-chat";
import { openAIChatBody } from "./openai-wire";

describe("openAIChatBody", () => {
  const request = ChatCompletionRequestSchema.parse({
    model: "auto",
    messages: [{ role: "user", content: [{ type: "text", text: "hi", x: 1 }], name: "u1", extra: 2 }],
    temperature: 0.2,
    logprobs: true,
    top_logprobs: 2,
    logit_bias: { "50256": -100 },
    reasoning_effort: "low",
    user: "eu_00112233445566778899aabbccddeeff",
    n: 1,
    stream: true,
    stream_options: { include_usage: false, include_obfuscation: true },
    metadata: { feature: "support" },
    store: true,
    service_tier: "priority",
    some_vendor_flag: { deep: "value" },
  });

  it("sends the forwarded fields by name, with the registry's model id, at every level cut to known keys", () => {
    expect(openAIChatBody(request, "gpt-x", false)).toEqual({
      model: "gpt-x",
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }], name: "u1" }],
      temperature: 0.2,
      logprobs: true,
      top_logprobs: 2,
      logit_bias: { "50256": -100 },
      reasoning_effort: "low",
      user: "eu_00112233445566778899aabbccddeeff",
      stream: false,
    });
  });

  it("streams always ask for usage, whatever the client's stream_options said", () => {
    expect(openAIChatBody(request, "gpt-x", true)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(openAIChatBody(request, "gpt-x", true).stream_options).toEqual({ include_usage: true });
  });

  it("sets vLLM's continue_final_message only for a gateway resume, never from a client's field", () => {
    const client = ChatCompletionRequestSchema.parse({ ...request, continue_final_message: true, add_generation_prompt: false });
    expect(openAIChatBody(client, "m", true)).not.toHaveProperty("continue_final_message");
    expect(openAIChatBody(request, "m", true, true)).toMatchObject({ continue_final_message: true, add_generation_prompt: false });
  });
});
