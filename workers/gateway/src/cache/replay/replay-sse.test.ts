import { describe, expect, it } from "vitest";
import { readSse } from "../../../../../shared/sse";
import { ChatCompletionChunkSchema } from "../../../../../shared/schemas/openai-chat";
import { answer } from "../testing/fixtures";
import { replayAsSse } from "./replay-sse";

async function events(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of readSse(stream)) out.push(e.data);
  return out;
}

describe("replayAsSse", () => {
  const long = "Cached answers replay as a stream. ".repeat(6);

  it("streams valid chunks that reassemble to the cached content, then [DONE]", async () => {
    const data = await events(replayAsSse(answer(long)));
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data.slice(0, -1).map((d) => ChatCompletionChunkSchema.parse(JSON.parse(d)));
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(long);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(chunks.length).toBeGreaterThan(3);
  });

  it("ends with a usage chunk with empty choices when include_usage is asked", async () => {
    const data = await events(replayAsSse(answer("ok"), { includeUsage: true }));
    const last = ChatCompletionChunkSchema.parse(JSON.parse(data.at(-2) ?? "{}"));
    expect(last.choices).toEqual([]);
    expect(last.usage?.total_tokens).toBe(30);
  });

  it("replays tool calls as deltas", async () => {
    const withTool = answer("", {
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: '{"a":1}' } }] },
          finish_reason: "tool_calls",
        },
      ],
    });
    const data = await events(replayAsSse(withTool));
    const chunks = data.slice(0, -1).map((d) => ChatCompletionChunkSchema.parse(JSON.parse(d)));
    const call = chunks.find((c) => c.choices[0]?.delta.tool_calls)?.choices[0]?.delta.tool_calls?.[0];
    expect(call).toMatchObject({ index: 0, id: "c1", function: { name: "f", arguments: '{"a":1}' } });
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("tool_calls");
  });
});
