import type { Schema } from "@cfworker/json-schema";
import { Validator } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import type { ChatCompletionRequest } from "../../../shared/schemas/openai-chat";
import { buildAnswer, splitPieces } from "./answer";
import { ModelConfigSchema } from "./config";
import { ReplayIndex } from "./replay";
import { countText } from "./tokens";

const model = ModelConfigSchema.parse({ id: "small-sim", defaultOutputTokens: 20 });
const noReplay = new ReplayIndex();
const user = (content: string): ChatCompletionRequest["messages"][number] => ({ role: "user", content });
const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    parameters: { type: "object", properties: { city: { type: "string" }, unit: { enum: ["c", "f"] } }, required: ["city", "unit"] },
  },
};

describe("buildAnswer", () => {
  it("is deterministic in (model, messages) and differs across prompts", () => {
    const a = buildAnswer({ model: "small-sim", messages: [user("hello")] }, model, noReplay);
    const b = buildAnswer({ model: "small-sim", messages: [user("hello")] }, model, noReplay);
    const c = buildAnswer({ model: "small-sim", messages: [user("goodbye")] }, model, noReplay);
    expect(a.content).toBe(b.content);
    expect(a.content).not.toBe(c.content);
    expect(a.pieces.join("")).toBe(a.content);
    expect(a.completionTokens).toBe(countText(a.content ?? ""));
    expect(a.finishReason).toBe("stop");
  });

  it("cuts at max_completion_tokens with finish_reason length", () => {
    const a = buildAnswer({ model: "small-sim", messages: [user("hello")], max_completion_tokens: 3 }, model, noReplay);
    expect(a.completionTokens).toBeLessThanOrEqual(3);
    expect(a.finishReason).toBe("length");
  });

  it("echoes the rest of an ECHO: message verbatim, also truncated by max_tokens", () => {
    expect(buildAnswer({ model: "m", messages: [user("ECHO: call <PERSON_1> now")] }, model, noReplay).content).toBe("call <PERSON_1> now");
    const cut = buildAnswer({ model: "m", messages: [user("ECHO: one two three four five six")], max_tokens: 2 }, model, noReplay);
    expect(cut.content).toBe("one two");
    expect(cut.finishReason).toBe("length");
  });

  it("answers replayed prompts for the matching model only", () => {
    const replay = new ReplayIndex([{ model: "small-sim", prompt: "capital of France?", response: "Paris." }]);
    const hit = buildAnswer({ model: "small-sim", messages: [user("capital of France?")] }, model, replay);
    expect(hit).toMatchObject({ content: "Paris.", source: "replay", completionTokens: countText("Paris.") });
    const other = ModelConfigSchema.parse({ id: "frontier-sim" });
    expect(buildAnswer({ model: "frontier-sim", messages: [user("capital of France?")] }, other, replay).source).toBe("synthetic");
    expect(buildAnswer({ model: "small-sim", messages: [user("capital of Spain?")] }, model, replay).source).toBe("synthetic");
  });

  it("calls the first tool (or the named one) with schema-valid arguments", () => {
    const other = { type: "function" as const, function: { name: "other", parameters: { type: "object", properties: { n: { type: "integer" } } } } };
    const a = buildAnswer({ model: "m", messages: [user("weather in Paris?")], tools: [weatherTool, other] }, model, noReplay);
    expect(a.finishReason).toBe("tool_calls");
    expect(a.content).toBeNull();
    const call = a.toolCalls?.[0];
    expect(call?.function.name).toBe("get_weather");
    expect(new Validator(weatherTool.function.parameters as Schema).validate(JSON.parse(call?.function.arguments ?? "null")).valid).toBe(true);
    expect(a.pieces.join("")).toBe(call?.function.arguments);
    const named = buildAnswer(
      { model: "m", messages: [user("x")], tools: [weatherTool, other], tool_choice: { type: "function", function: { name: "other" } } },
      model,
      noReplay,
    );
    expect(named.toolCalls?.[0]?.function.name).toBe("other");
  });

  it("answers text after a tool result and when tool_choice is none", () => {
    const afterTool = buildAnswer(
      {
        model: "m",
        tools: [weatherTool],
        messages: [
          user("weather?"),
          { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: "{}" } }] },
          { role: "tool", tool_call_id: "c1", content: "sunny" },
        ],
      },
      model,
      noReplay,
    );
    expect(afterTool.toolCalls).toBeUndefined();
    expect(afterTool.finishReason).toBe("stop");
    const none = buildAnswer({ model: "m", messages: [user("x")], tools: [weatherTool], tool_choice: "none" }, model, noReplay);
    expect(none.toolCalls).toBeUndefined();
  });

  it("answers valid JSON for json_object and json_schema", () => {
    const obj = buildAnswer({ model: "m", messages: [user("x")], response_format: { type: "json_object" } }, model, noReplay);
    expect(typeof JSON.parse(obj.content ?? "")).toBe("object");
    const schema = { type: "object", properties: { rating: { type: "integer", minimum: 1, maximum: 5 }, verdict: { enum: ["good", "bad"] } }, required: ["rating", "verdict"] };
    const js = buildAnswer({ model: "m", messages: [user("rate")], response_format: { type: "json_schema", json_schema: { name: "r", schema } } }, model, noReplay);
    expect(new Validator(schema as Schema).validate(JSON.parse(js.content ?? "")).valid).toBe(true);
  });

  it("ends text before the earliest stop sequence", () => {
    const echo = buildAnswer({ model: "m", messages: [user("ECHO: alpha beta END gamma")], stop: ["gamma", "END"] }, model, noReplay);
    expect(echo).toMatchObject({ content: "alpha beta ", finishReason: "stop" });
    const full = buildAnswer({ model: "m", messages: [user("hello")] }, model, noReplay).content ?? "";
    const word = full.split(" ")[3] ?? "";
    const stopped = buildAnswer({ model: "m", messages: [user("hello")], stop: ` ${word}` }, model, noReplay);
    expect(stopped.content).toBe(full.slice(0, full.indexOf(` ${word}`)));
    expect(stopped.pieces.join("")).toBe(stopped.content);
  });

  it("splitPieces keeps every character", () => {
    for (const t of ["", "a", "  lead and trail  ", "multi\nline\n\ntext ", "ünïcødé 字 🙂 ok"]) expect(splitPieces(t).join("")).toBe(t);
  });
});
