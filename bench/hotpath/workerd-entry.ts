/**
 * bench:hotpath's Worker: the gateway exactly as deployed, plus one extra path,
 * `POST /__hotpath?target=gateway|proxy|bare&n=N`, that drives N chat requests through the
 * chosen target *inside this isolate* at concurrency 32, with the upstream `fetch` answered
 * instantly in memory. The caller measures workerd's CPU around the call: the per-request cost
 * of the code alone, with no sockets, Miniflare entry Worker or load generator in the numbers.
 * Bench-only: this file is never part of the deployed gateway.
 */
import gateway from "../../workers/gateway/src/index";
import jsonProxy from "../fixtures/json-proxy-worker";
export { CircuitBreaker, LocalVectorIndex, RateLimiter } from "../../workers/gateway/src/index";

const UPSTREAM_ANSWER = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "small-sim",
  choices: [{ index: 0, message: { role: "assistant", content: "All systems nominal; nothing to report today." }, finish_reason: "stop" }],
  usage: { prompt_tokens: 14, completion_tokens: 10, total_tokens: 24 },
});
const REQUEST_BODY = JSON.stringify({ model: "small-sim", messages: [{ role: "user", content: "Give me a one-line status update." }], max_tokens: 16 });
const CONCURRENCY = 32;

async function instantUpstream(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  await new Request(input, init).arrayBuffer();
  return new Response(UPSTREAM_ANSWER, { status: 200, headers: { "content-type": "application/json" } });
}

type Send = () => Promise<Response>;

function sender(target: string, authorization: string, env: Env, ctx: ExecutionContext): Send {
  // Content-Length as a real client sends it (the body reader takes its one-read path then).
  const length = String(new TextEncoder().encode(REQUEST_BODY).byteLength);
  const request = (headers: Record<string, string>) => new Request("http://gateway/v1/chat/completions", { method: "POST", headers: { ...headers, "content-length": length }, body: REQUEST_BODY });
  if (target === "gateway") return async () => gateway.fetch(request({ authorization, "content-type": "application/json" }), env, ctx);
  if (target === "proxy") return async () => jsonProxy.fetch(request({ "content-type": "application/json" }), { UPSTREAM: "http://upstream" }, ctx);
  return () => fetch(new Request("http://upstream/v1/chat/completions", request({ "content-type": "application/json" })));
}

async function drive(send: Send, n: number): Promise<{ failed: number; example: string | null }> {
  let started = 0;
  let failed = 0;
  let example: string | null = null;
  const lane = async () => {
    while (started < n) {
      started++;
      const res = await send();
      const text = await res.text();
      if (res.status !== 200) {
        failed++;
        example ??= `${res.status} ${text.slice(0, 300)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return { failed, example };
}

export default {
  async fetch(req: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname !== "/__hotpath") return gateway.fetch(req, env, ctx);
    const n = Number(url.searchParams.get("n") ?? 1000);
    const send = sender(url.searchParams.get("target") ?? "gateway", req.headers.get("authorization") ?? "", env, ctx);
    const realFetch = globalThis.fetch;
    globalThis.fetch = instantUpstream;
    try {
      return Response.json({ requests: n, ...(await drive(send, n)) });
    } finally {
      globalThis.fetch = realFetch;
    }
  },
} satisfies ExportedHandler<Env>;
