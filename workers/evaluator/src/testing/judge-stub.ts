/**
 * A loopback OpenAI-compatible judge for tests. It answers in the shape the request's
 * response_format asks for: a cheap judge's triage {verdicts: [[score, confidence]]}, a strong judge's
 * {faithfulness, relevance, format, confidence, reason} (every rubric gets the test's score)
 * or a cache audit's {score, reason}; the score (and optionally the confidence) is chosen per
 * model by the test.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface JudgeStub {
  url: string;
  calls: { model: string; body: Record<string, unknown> }[];
  close: () => Promise<void>;
}

export type StubVerdict = number | "fail" | { score: number; confidence: number };

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

type StubRequest = { model: string; messages: { content: string }[]; response_format?: { json_schema?: { schema?: { properties?: Record<string, unknown> } } } };

const asPair = (v: Exclude<StubVerdict, "fail">): { score: number; confidence: number } => (typeof v === "number" ? { score: v, confidence: 5 } : v);

/** The answer text, or null when the test's verdict for the call (or one of its items) is "fail". */
function answerFor(body: StubRequest, verdictFor: (model: string, prompt: string) => StubVerdict): string | null {
  const prompt = body.messages.map((m) => m.content).join("\n");
  const asked = body.response_format?.json_schema?.schema?.properties ?? {};
  if ("verdicts" in asked) {
    // A batched triage: each "### ITEM k" block gets the verdict the test gives its own text.
    const items = (body.messages[body.messages.length - 1]?.content ?? "").split(/^### ITEM \d+\n/m).slice(1);
    const verdicts = items.map((text) => verdictFor(body.model, text));
    if (verdicts.some((v) => v === "fail")) return null;
    return JSON.stringify({ verdicts: verdicts.map((v) => Object.values(asPair(v as Exclude<StubVerdict, "fail">))) });
  }
  const v = verdictFor(body.model, prompt);
  if (v === "fail") return null;
  const { score, confidence } = asPair(v);
  if ("faithfulness" in asked) return JSON.stringify({ faithfulness: score, relevance: score, format: score, confidence, reason: `stub says ${score}` });
  return JSON.stringify({ score, reason: `stub says ${score}` });
}

export async function startJudgeStub(verdictFor: (model: string, prompt: string) => StubVerdict): Promise<JudgeStub> {
  const calls: JudgeStub["calls"] = [];
  const server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as StubRequest;
    calls.push({ model: body.model, body: body as unknown as Record<string, unknown> });
    const answer = answerFor(body, verdictFor);
    if (answer === null) {
      res.writeHead(503).end("{}");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        id: "cmpl-stub",
        object: "chat.completion",
        model: body.model,
        choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: answer } }],
        usage: { prompt_tokens: 200, completion_tokens: 20, total_tokens: 220 },
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, calls, close: () => new Promise((r) => server.close(() => r())) };
}
