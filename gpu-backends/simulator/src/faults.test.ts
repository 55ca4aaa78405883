import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSse } from "../../../shared/sse";
import { FaultConfigSchema } from "./config";
import { decideFault } from "./faults";
import type { RunningSimulator } from "./server";
import { startSimulator } from "./server";
import { chatBody, postJson, readChunks } from "./test-helpers";

let sim: RunningSimulator;
let chatUrl: string;

beforeAll(async () => {
  sim = await startSimulator({
    config: {
      models: [
        { id: "small-sim", defaultOutputTokens: 40, latency: { slowFirstTokenMs: 500 } },
        { id: "frontier-sim" },
      ],
    },
  });
  chatUrl = `${sim.baseUrl}/chat/completions`;
});
afterAll(() => sim.close());

describe("fault injection headers", () => {
  for (const status of [500, 429, 503]) {
    it(`error-${status} answers ${status} with an OpenAI error and optional Retry-After`, async () => {
      const res = await postJson(chatUrl, chatBody("x"), { "x-sim-fault": `error-${status}`, "x-sim-retry-after": "7" });
      expect(res.status).toBe(status);
      expect(res.headers.get("retry-after")).toBe("7");
      expect(((await res.json()) as { error: { code: number } }).error.code).toBe(status);
    });
  }

  it("omits Retry-After unless asked", async () => {
    const res = await postJson(chatUrl, chatBody("x"), { "x-sim-fault": "error-503" });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBeNull();
  });

  it("hang never answers (the client's own timeout fires)", async () => {
    const attempt = postJson(chatUrl, chatBody("x"), { "x-sim-fault": "hang" }, AbortSignal.timeout(300));
    await expect(attempt).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("disconnect-mid-stream cuts an SSE stream after some content and before [DONE]", async () => {
    const res = await postJson(chatUrl, chatBody("tell me a story", { stream: true }), { "x-sim-fault": "disconnect-mid-stream" });
    expect(res.status).toBe(200);
    const received: string[] = [];
    const read = async (): Promise<void> => {
      for await (const ev of readSse(res.body as ReadableStream<Uint8Array>)) received.push(ev.data);
    };
    await expect(read()).rejects.toThrow();
    expect(received).not.toContain("[DONE]");
    expect(received.length).toBeGreaterThan(1);
    expect(received.some((c) => c.includes("finish_reason\":\"stop") || c.includes("finish_reason\":\"length"))).toBe(false);
  });

  it("disconnect-mid-stream truncates a non-streamed body", async () => {
    const res = await postJson(chatUrl, chatBody("x"), { "x-sim-fault": "disconnect-mid-stream" });
    await expect(res.text()).rejects.toThrow();
  });

  it("slow-first-token delays the answer behind a normal request sent later", async () => {
    const order: string[] = [];
    const slow = postJson(chatUrl, chatBody("a", { stream: true }), { "x-sim-fault": "slow-first-token" }).then(readChunks).then(() => order.push("slow"));
    const fast = postJson(chatUrl, chatBody("b", { stream: true })).then(readChunks).then(() => order.push("fast"));
    await Promise.all([slow, fast]);
    expect(order).toEqual(["fast", "slow"]);
  });

  it("error and hang headers also apply to /v1/embeddings", async () => {
    const res = await postJson(`${sim.baseUrl}/embeddings`, { model: "small-sim", input: "x" }, { "x-sim-fault": "error-503", "x-sim-retry-after": "2" });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
    const hang = postJson(`${sim.baseUrl}/embeddings`, { model: "small-sim", input: "x" }, { "x-sim-fault": "hang" }, AbortSignal.timeout(200));
    await expect(hang).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("rejects an unknown fault name with 400", async () => {
    expect((await postJson(chatUrl, chatBody("x"), { "x-sim-fault": "explode" })).status).toBe(400);
  });
});

describe("runtime fault control", () => {
  it("POST /_sim/faults makes a model fail the next K requests, then recover", async () => {
    const set = await postJson(`${sim.url}/_sim/faults`, { model: "small-sim", failNext: 2, failStatus: 502, retryAfterSeconds: 1 });
    expect(set.status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await postJson(chatUrl, chatBody("x"))).status);
    expect(statuses).toEqual([502, 502, 200]);
    expect((await postJson(chatUrl, { ...chatBody("x"), model: "frontier-sim" })).status).toBe(200);
    await postJson(`${sim.url}/_sim/faults`, { model: "small-sim", reset: true });
  });

  it("errorRate 1 fails every request until reset; unknown models are 404", async () => {
    sim.setFaults({ model: "frontier-sim", errorRate: 1, errorStatus: 500 });
    expect((await postJson(chatUrl, { ...chatBody("x"), model: "frontier-sim" })).status).toBe(500);
    expect((await postJson(`${sim.url}/_sim/reset`, {})).status).toBe(200);
    expect((await postJson(chatUrl, { ...chatBody("x"), model: "frontier-sim" })).status).toBe(200);
    expect((await postJson(`${sim.url}/_sim/faults`, { model: "ghost", failNext: 1 })).status).toBe(404);
  });

  it("decideFault applies rates with the injected random source", () => {
    const faults = FaultConfigSchema.parse({ hangRate: 0.5, disconnectMidStreamRate: 0.5 });
    expect(decideFault(undefined, faults, () => 0.1)).toEqual({ kind: "hang" });
    expect(decideFault(undefined, faults, () => 0.9)).toEqual({ kind: "none" });
  });

  it("slowFirstTokenRate makes that share of requests slow to their first token", async () => {
    expect(decideFault(undefined, FaultConfigSchema.parse({ slowFirstTokenRate: 0.5 }), () => 0.1)).toEqual({ kind: "slow-first-token" });
    expect(decideFault(undefined, FaultConfigSchema.parse({ slowFirstTokenRate: 0.5 }), () => 0.9)).toEqual({ kind: "none" });
    expect((await postJson(`${sim.url}/_sim/faults`, { model: "small-sim", slowFirstTokenRate: 1 })).status).toBe(200);
    const started = Date.now();
    expect((await postJson(chatUrl, chatBody("x"))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    await postJson(`${sim.url}/_sim/faults`, { model: "small-sim", reset: true });
  });
});
