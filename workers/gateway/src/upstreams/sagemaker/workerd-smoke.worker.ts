/**
 * Worker entry for workerd.test.ts: runs the SageMaker adapter (SDK client, SigV4 signing,
 * FetchHttpHandler, event-stream decoding) inside workerd with a canned fetch, proving the
 * bundle needs no node:http. Not part of the gateway bundle.
 */
import type { ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { eventStreamResponse, payloadFrames } from "./event-stream.test-support";
import { sageMakerUpstream } from "./sagemaker";

const CHUNKS =
  'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}\n\n' +
  'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" there"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';
const RESPONSE = { id: "c1", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "Hello" }, finish_reason: "stop" }] };
const REQUEST: ChatCompletionRequest = { model: "x", messages: [{ role: "user", content: "hi" }] };

export default {
  async fetch(): Promise<Response> {
    const seen: string[] = [];
    const cannedFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init);
      seen.push(`${req.url} ${req.headers.get("authorization")?.split(" ")[0] ?? ""}`);
      if (req.url.endsWith("-response-stream")) return eventStreamResponse(payloadFrames(CHUNKS, 11));
      return new Response(JSON.stringify(RESPONSE), { headers: { "content-type": "application/json" } });
    }) as typeof fetch;
    const ctx = {
      config: { kind: "sagemaker" as const, region: "eu-west-1", endpointName: "ep", payload: "openai-messages" as const },
      upstreamModel: "m",
      credential: JSON.stringify({ accessKeyId: "AKID", secretAccessKey: "secret" }),
      signal: new AbortController().signal,
      bindings: {},
      fetch: cannedFetch,
    };
    const chat = await sageMakerUpstream.chat(REQUEST, ctx);
    const { chunks } = await sageMakerUpstream.chatStream(REQUEST, ctx);
    const stream: string[] = [];
    for await (const c of chunks) stream.push(c.choices[0]?.delta.content ?? "");
    return Response.json({ text: chat.response.choices[0]?.message.content, stream, seen });
  },
};
