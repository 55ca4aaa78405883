/** Both judge transports: the Workers AI binding (JSON mode) and OpenAI-compatible fetch. */
import { describe, expect, it } from "vitest";
import { JudgeSchema } from "./config";
import { callPanelJudge, type AiBinding } from "./judge-client";

const content = { messages: [{ role: "user", content: "Say hi to <PERSON_1>." }], response: "Hi <PERSON_1>!" };
const noFetch = () => Promise.reject(new Error("no network"));

describe("judge transports", () => {
  it("calls Workers AI through the binding in JSON mode with the bare schema, and reads an object response", async () => {
    const seen: { model: string; inputs: Record<string, unknown> }[] = [];
    const ai: AiBinding = {
      run: async (model, inputs) => {
        seen.push({ model, inputs });
        return { response: { verdicts: [[4, 3]] }, usage: { prompt_tokens: 310, completion_tokens: 13, total_tokens: 323 } };
      },
    };
    const judge = JudgeSchema.parse({ name: "cheap", kind: "workers-ai", model: "@cf/meta/llama-3.1-8b-instruct" });
    const call = await callPanelJudge(judge, content, { fetch: noFetch, credential: () => undefined, ai });
    expect(call.verdict).toEqual({ overall: 4, scores: {}, confidence: 3 });
    expect(call.usage).toEqual({ input: { total: 310, cached: 0 }, output: { total: 13, reasoning: 0 }, source: "upstream" });
    expect(seen[0]?.model).toBe("@cf/meta/llama-3.1-8b-instruct");
    const rf = seen[0]?.inputs["response_format"] as { type: string; json_schema: { properties: Record<string, unknown> } };
    expect(seen[0]?.inputs["max_tokens"]).toBeGreaterThan(0);
    expect(rf.type).toBe("json_schema");
    // A cheap judge triages: an overall score and a confidence per answer (output tokens are its cost and its latency).
    expect(Object.keys(rf.json_schema.properties)).toEqual(["verdicts"]);
  });

  it("bills an off-format Workers AI answer and reports a missing binding or a binding error as a failed call", async () => {
    const judge = JudgeSchema.parse({ name: "cheap", kind: "workers-ai", model: "@cf/meta/llama-3.1-8b-instruct" });
    const chatty: AiBinding = { run: async () => ({ response: "I would say 4 out of 5", usage: { prompt_tokens: 300, completion_tokens: 9 } }) };
    await expect(callPanelJudge(judge, content, { fetch: noFetch, credential: () => undefined, ai: chatty })).rejects.toMatchObject({ usage: { input: { total: 300 } } });
    await expect(callPanelJudge(judge, content, { fetch: noFetch, credential: () => undefined })).rejects.toThrow(/AI binding is not configured/);
    const down: AiBinding = { run: () => Promise.reject(new Error("3040: Capacity temporarily exceeded")) };
    await expect(callPanelJudge(judge, content, { fetch: noFetch, credential: () => undefined, ai: down })).rejects.toThrow(/3040/);
  });

  it("asks a strong judge for every rubric with a reason, sends its credential by secret name and tolerates a ```json fence", async () => {
    let auth: string | null = null;
    const fetchFn = async (_url: string, init: RequestInit) => {
      auth = new Headers(init.headers).get("authorization");
      const text = '```json\n{"faithfulness": 2, "relevance": 3, "format": 4, "confidence": 5, "reason": "meh"}\n```';
      return Response.json({ choices: [{ message: { content: text } }], usage: { prompt_tokens: 10, completion_tokens: 5 } });
    };
    const judge = JudgeSchema.parse({ name: "strong", baseUrl: "https://api.example.com/v1", model: "gpt-4o-mini", credential: "OPENAI_API_KEY", tier: "strong" });
    const call = await callPanelJudge(judge, content, { fetch: fetchFn, credential: (n) => (n === "OPENAI_API_KEY" ? "sk-test" : undefined) });
    expect(call.verdict.overall).toBe(3);
    expect(call.verdict.scores).toMatchObject({ faithfulness: { score: 2, reason: "meh" }, relevance: { score: 3 }, format: { score: 4 } });
    expect(auth).toBe("Bearer sk-test");
  });
});
