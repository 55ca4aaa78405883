import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { restoreStreamedAnswer } from "./restore-stream";

const VALUES: Record<string, string> = { "<DOC_PERSON_1>": "Ada Brookfield", "<DOC_EMAIL_ADDRESS_1>": "ada@quillon.example" };
const restore = async (text: string): Promise<string> => text.replace(/<DOC_[A-Z_]+_\d+>/g, (m) => VALUES[m] ?? m);

const chunk = (content: string | null, finish: string | null = null, index = 0) => ({
  id: "c1",
  object: "chat.completion.chunk",
  created: 1,
  model: "small-sim",
  choices: [{ index, delta: content === null ? {} : { content }, finish_reason: finish }],
});

function sse(events: Array<unknown | string>): Response {
  const body = events.map((e) => `data: ${typeof e === "string" ? e : JSON.stringify(e)}\n\n`).join("");
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

async function read(res: Response): Promise<{ text: Record<number, string>; raw: string[] }> {
  const raw = (await res.text()).split("\n\n").filter(Boolean).map((e) => e.replace(/^data: /, ""));
  const text: Record<number, string> = {};
  for (const data of raw) {
    if (data === "[DONE]") continue;
    const parsed = JSON.parse(data) as { choices?: Array<{ index: number; delta: { content?: string } }> };
    for (const c of parsed.choices ?? []) text[c.index] = (text[c.index] ?? "") + (c.delta.content ?? "");
  }
  return { text, raw };
}

describe("restoreStreamedAnswer", () => {
  it("restores a placeholder split across chunks and releases held text at the finish", async () => {
    const res = restoreStreamedAnswer(sse([chunk("Ask <DOC_PER"), chunk("SON_1> or write to <DOC_EMAIL_"), chunk("ADDRESS_1>"), chunk(null, "stop"), "[DONE]"]), restore);
    const { text, raw } = await read(res);
    expect(text[0]).toBe("Ask Ada Brookfield or write to ada@quillon.example");
    expect(raw.at(-1)).toBe("[DONE]");
    expect(raw.join()).not.toContain("<DOC_");
  });

  it("flushes what is held before [DONE] when no choice finished, and before an error event", async () => {
    const cut = await read(restoreStreamedAnswer(sse([chunk("Owner: <DOC_PERSON_1"), "[DONE]"]), restore));
    expect(cut.text[0]).toBe("Owner: <DOC_PERSON_1");
    expect(cut.raw.at(-1)).toBe("[DONE]");
    const failed = await read(restoreStreamedAnswer(sse([chunk("Hi <DOC_PERSON_1>, and <"), { error: { code: "stream_interrupted" } }]), restore));
    expect(failed.text[0]).toBe("Hi Ada Brookfield, and <");
    expect(failed.raw.at(-1)).toContain("stream_interrupted");
  });

  it("keeps choices apart and leaves non-stream responses alone", async () => {
    const two = await read(restoreStreamedAnswer(sse([chunk("A <DOC_PERS", null, 0), chunk("B <DOC_EMAIL_ADDRESS_1>", null, 1), chunk("ON_1>", "stop", 0), chunk(null, "stop", 1), "[DONE]"]), restore));
    expect(two.text).toEqual({ 0: "A Ada Brookfield", 1: "B ada@quillon.example" });
    const json = new Response('{"choices":[]}', { headers: { "content-type": "application/json" } });
    expect(restoreStreamedAnswer(json, restore)).toBe(json);
  });

  it("gives the same text however the answer is cut into chunks", async () => {
    const answer = "Keys: <DOC_PERSON_1> (<DOC_EMAIL_ADDRESS_1>); <DOC_PERSON_2> is away; a < b <c>";
    const whole = await restore(answer);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: answer.length - 1 }), { maxLength: 12 }), async (cuts) => {
        const at = [0, ...cuts.sort((a, b) => a - b), answer.length];
        const parts = at.slice(1).map((end, i) => chunk(answer.slice(at[i], end)));
        const { text } = await read(restoreStreamedAnswer(sse([...parts, chunk(null, "stop"), "[DONE]"]), restore));
        expect(text[0]).toBe(whole);
      }),
      { numRuns: 60 },
    );
  });
});
