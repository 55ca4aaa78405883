import { describe, expect, it } from "vitest";
import { ChatCompletionRequestSchema } from "./openai-chat";
import { FIELD_TABLE, FORWARDED_FIELDS, projectChatRequest, type FieldIssue } from "./openai-chat-fields";

const project = (body: Record<string, unknown>) => {
  const issues: FieldIssue[] = [];
  const request = projectChatRequest(ChatCompletionRequestSchema.parse({ model: "m", messages: [{ role: "user", content: "hi" }], ...body }), (i) => issues.push(i));
  return { request, issues };
};

describe("projectChatRequest", () => {
  it("keeps forwarded and consumed fields, leaves metadata behind and reports unknown ones", () => {
    const { request, issues } = project({ temperature: 0.2, stream: true, stream_options: { include_usage: true, include_obfuscation: false }, metadata: { feature: "x" }, x_trace: "abc" });
    expect(request).toEqual({ model: "m", messages: [{ role: "user", content: "hi" }], temperature: 0.2, stream: true, stream_options: { include_usage: true } });
    expect(issues).toEqual([
      { path: "stream_options.include_obfuscation", kind: "unknown" },
      { path: "x_trace", kind: "unknown" },
    ]);
  });

  it("cuts every passthrough level to its known keys", () => {
    const { request, issues } = project({
      messages: [
        { role: "user", content: [{ type: "text", text: "a", cache_control: { type: "ephemeral" } }, { type: "image_url", image_url: { url: "https://x/y.png", detail: "low", hint: 1 } }], name: "n", extra: 1 },
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" }, index: 0 }], audio: { id: "a" } },
        { role: "tool", tool_call_id: "c1", content: "r", name: "f" },
      ],
      tools: [{ type: "function", function: { name: "f", description: "d", parameters: { type: "object", "x-anything": 1 }, extra: 2 }, cache_control: {} }],
      tool_choice: { type: "function", function: { name: "f", why: "x" } },
      response_format: { type: "json_schema", json_schema: { name: "s", schema: { type: "object" }, note: "x" } },
    });
    expect(request.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "a" }, { type: "image_url", image_url: { url: "https://x/y.png", detail: "low" } }], name: "n" },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "c1", content: "r" },
    ]);
    // A JSON Schema keeps every keyword: the guardrails walk all of its values instead.
    expect(request.tools).toEqual([{ type: "function", function: { name: "f", description: "d", parameters: { type: "object", "x-anything": 1 } } }]);
    expect(request.tool_choice).toEqual({ type: "function", function: { name: "f" } });
    expect(request.response_format).toEqual({ type: "json_schema", json_schema: { name: "s", schema: { type: "object" } } });
    expect(issues.map((i) => i.path)).toEqual([
      "messages.0.extra",
      "messages.0.content.0.cache_control",
      "messages.0.content.1.image_url.hint",
      "messages.1.audio",
      "messages.1.tool_calls.0.index",
      "messages.2.name",
      "tools.0.cache_control",
      "tools.0.function.extra",
      "tool_choice.function.why",
      "response_format.json_schema.note",
    ]);
  });

  it("reports dropped and rejected fields; text-only modalities are consumed", () => {
    const { request, issues } = project({ store: true, service_tier: "priority", functions: [], modalities: ["text"] });
    expect(Object.keys(request)).toEqual(["model", "messages"]);
    expect(issues).toEqual([
      { path: "store", kind: "dropped" },
      { path: "service_tier", kind: "dropped" },
      { path: "functions", kind: "rejected" },
    ]);
    expect(project({ modalities: ["text", "audio"] }).issues).toEqual([{ path: "modalities", kind: "rejected" }]);
  });

  it("refuses a content part type it cannot read instead of dropping it", () => {
    const { issues } = project({ messages: [{ role: "user", content: [{ type: "video_url", video_url: { url: "https://v" } }] }] });
    expect(issues).toEqual([{ path: "messages.0.content.0.type", kind: "rejected" }]);
  });

  it("does not mutate its input", () => {
    const body = ChatCompletionRequestSchema.parse({ model: "m", messages: [{ role: "user", content: [{ type: "text", text: "a", x: 1 }] }], x: 2 });
    const copy = structuredClone(body);
    projectChatRequest(body);
    expect(body).toEqual(copy);
  });

  it("forwards only fields the table marks forward", () => {
    expect(FORWARDED_FIELDS.every((f) => FIELD_TABLE[f] === "forward")).toBe(true);
    expect(FORWARDED_FIELDS).not.toContain("metadata");
    expect(FORWARDED_FIELDS).not.toContain("store");
  });
});
