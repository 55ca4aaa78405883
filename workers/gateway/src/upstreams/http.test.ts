import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, recordingFetch, sseResponse } from "./testing/fixtures";
import { postJson, sseEvents } from "./http";
import { UpstreamError } from "./upstream";

const signal = new AbortController().signal;
const post = (fetch: typeof globalThis.fetch, s = signal) => postJson({ fetch, signal: s }, { url: "http://upstream.test/x", body: {}, provider: "p" });

describe("error classification", () => {
  it("429 with Retry-After is retryable with retryAfterMs", async () => {
    const { fetch } = recordingFetch(() => new Response("slow down", { status: 429, headers: { "retry-after": "2" } }));
    await expect(post(fetch)).rejects.toMatchObject({ status: 429, retryable: true, retryAfterMs: 2000, timeout: false });
  });

  it("400 is not retryable", async () => {
    const { fetch } = recordingFetch(() => new Response('{"error":{"message":"bad"}}', { status: 400 }));
    await expect(post(fetch)).rejects.toMatchObject({ status: 400, retryable: false });
  });

  it("a network error (fetch rejects) is retryable without status", async () => {
    const fetch = (() => Promise.reject(new TypeError("fetch failed"))) as typeof globalThis.fetch;
    const err = await post(fetch).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ status: undefined, retryable: true, timeout: false });
  });

  it("an aborted signal is a timeout", async () => {
    const ac = new AbortController();
    ac.abort(new DOMException("attempt timed out", "TimeoutError"));
    const { fetch } = recordingFetch(() => new Response("{}"));
    await expect(post(fetch, ac.signal)).rejects.toMatchObject({ timeout: true, retryable: true });
  });
});

describe("loopback upstream (real fetch)", () => {
  let server: Server;
  let base = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('data: {"a":1}\n\n');
      if (req.url === "/hang") return; // never ends: the client must abort
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it("abort while a stream is open fails the read as a non-retryable timeout", async () => {
    const ac = new AbortController();
    const res = await postJson({ fetch, signal: ac.signal }, { url: `${base}/hang`, body: {}, provider: "p" });
    const events = sseEvents(res, ac.signal, "p");
    expect((await events.next()).value).toMatchObject({ data: '{"a":1}' });
    setTimeout(() => ac.abort(), 10);
    await expect(events.next()).rejects.toMatchObject({ timeout: true, retryable: false });
  });

  it("connection refused is retryable", async () => {
    const url = base.replace(/:\d+$/, ":1");
    await expect(postJson({ fetch, signal }, { url, body: {}, provider: "p" })).rejects.toMatchObject({ retryable: true, timeout: false });
  });

  it("reads events split across network chunks", async () => {
    const res = sseResponse('data: {"a":1}\n\ndata: {"b":2}\n\n');
    expect((await collect(sseEvents(res, signal, "p"))).map((e) => e.data)).toEqual(['{"a":1}', '{"b":2}']);
  });
});
