/**
 * A loopback OpenAI-compatible judge for tests: answers every chat completion with
 * {score, reason} as JSON content, the score chosen per model by the test.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface JudgeStub {
  url: string;
  calls: { model: string; body: Record<string, unknown> }[];
  close: () => Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startJudgeStub(scoreFor: (model: string, prompt: string) => number | "fail"): Promise<JudgeStub> {
  const calls: JudgeStub["calls"] = [];
  const server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as { model: string; messages: { content: string }[] };
    calls.push({ model: body.model, body });
    const score = scoreFor(body.model, body.messages.map((m) => m.content).join("\n"));
    if (score === "fail") {
      res.writeHead(503).end("{}");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        id: "cmpl-stub",
        object: "chat.completion",
        model: body.model,
        choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: JSON.stringify({ score, reason: `stub says ${score}` }) } }],
        usage: { prompt_tokens: 200, completion_tokens: 20, total_tokens: 220 },
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, calls, close: () => new Promise((r) => server.close(() => r())) };
}
