import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "./server";
import { startSimulator } from "./server";
import { chatBody, postJson, readChunks } from "./test-helpers";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({
    config: { models: [{ id: "small-sim", maxConcurrency: 1, latency: { ttftMs: 250 } }, { id: "frontier-sim", defaultOutputTokens: 12, latency: { ttftMs: 5, tpotMs: 2, jitter: 0.5 } }] },
  });
});
afterAll(() => sim.close());

const metricsText = async (): Promise<string> => (await fetch(`${sim.url}/metrics`)).text();

function sample(text: string, name: string, model: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && l.includes(`model_name="${model}"`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

/** Checks the Prometheus text format 0.0.4: every sample belongs to a TYPE'd family and parses. */
function parseExposition(text: string): Map<string, string> {
  const types = new Map<string, string>();
  const sampleRe = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.]+(e[+-]?\d+)?|\+Inf|NaN)$/;
  for (const line of text.trimEnd().split("\n")) {
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) types.set(type[1] as string, type[2] as string);
    if (line.startsWith("#")) continue;
    const m = sampleRe.exec(line);
    if (!m) throw new Error(`unparseable line: ${line}`);
    const name = m[1] as string;
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, "");
    if (!types.has(family)) throw new Error(`sample without TYPE: ${line}`);
  }
  return types;
}

describe("concurrency limit", () => {
  it("queues requests beyond maxConcurrency (num_requests_waiting > 0 while saturated)", async () => {
    const all = Promise.all([1, 2, 3].map((i) => postJson(`${sim.baseUrl}/chat/completions`, chatBody(`q${i}`)).then((r) => r.status)));
    let maxWaiting = 0;
    let maxRunning = 0;
    for (let i = 0; i < 40 && maxWaiting < 2; i++) {
      const text = await metricsText();
      maxWaiting = Math.max(maxWaiting, sample(text, "vllm:num_requests_waiting", "small-sim") ?? 0);
      maxRunning = Math.max(maxRunning, sample(text, "vllm:num_requests_running", "small-sim") ?? 0);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await all).toEqual([200, 200, 200]);
    expect(maxWaiting).toBeGreaterThan(0);
    expect(maxRunning).toBe(1);
    const after = await metricsText();
    expect(sample(after, "vllm:num_requests_waiting", "small-sim")).toBe(0);
    expect(sample(after, "vllm:num_requests_running", "small-sim")).toBe(0);
  });
});

describe("metrics exposition", () => {
  it("parses as Prometheus text with vLLM names and counts tokens and successes", async () => {
    const before = await metricsText();
    const res = (await (await postJson(`${sim.baseUrl}/chat/completions`, { ...chatBody("count me"), model: "frontier-sim" })).json()) as {
      usage: { prompt_tokens: number; completion_tokens: number };
      choices: Array<{ message: { content: string } }>;
    };
    const streamed = await readChunks(await postJson(`${sim.baseUrl}/chat/completions`, { ...chatBody("count me"), model: "frontier-sim", stream: true }));
    // With per-token pauses the stream is written in many writes; the text must still match.
    const text0 = streamed.chunks.map((c) => (c.choices as Array<{ delta: { content?: string } }>)[0]?.delta.content ?? "").join("");
    expect(text0).toBe(res.choices[0]?.message.content);
    expect(streamed.chunks.length).toBeGreaterThan(5);
    const text = await metricsText();
    const types = parseExposition(text);
    expect(types.get("vllm:num_requests_running")).toBe("gauge");
    expect(types.get("vllm:num_requests_waiting")).toBe("gauge");
    expect(types.get("vllm:prompt_tokens_total")).toBe("counter");
    expect(types.get("vllm:generation_tokens_total")).toBe("counter");
    expect(types.get("vllm:request_success_total")).toBe("counter");
    expect(types.get("vllm:time_to_first_token_seconds")).toBe("histogram");
    const delta = (name: string): number => (sample(text, name, "frontier-sim") ?? 0) - (sample(before, name, "frontier-sim") ?? 0);
    expect(delta("vllm:prompt_tokens_total")).toBe(2 * res.usage.prompt_tokens);
    expect(delta("vllm:generation_tokens_total")).toBe(2 * res.usage.completion_tokens);
    expect(delta("vllm:time_to_first_token_seconds_count")).toBe(2);
    expect(text).toMatch(/vllm:request_success_total\{finished_reason="(stop|length)",model_name="frontier-sim"\} [1-9]/);
    expect(text).toContain('vllm:time_to_first_token_seconds_bucket{model_name="frontier-sim",le="+Inf"}');
  });
});

describe("replay file", () => {
  it("answers recorded prompts from --replay JSONL and falls back to synthetic", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-replay-"));
    const file = join(dir, "replay.jsonl");
    writeFileSync(file, `${JSON.stringify({ model: "small-sim", prompt: "What is 2+2?", response: "2 + 2 = 4." })}\n\n${JSON.stringify({ prompt: "any model", response: "yes" })}\n`);
    const replaySim = await startSimulator({ replayFile: file });
    try {
      const ask = async (model: string, content: string): Promise<{ choices: Array<{ message: { content: string } }>; usage: { completion_tokens: number } }> =>
        (await postJson(`${replaySim.baseUrl}/chat/completions`, { model, messages: [{ role: "user", content }] })).json() as never;
      const hit = await ask("small-sim", "What is 2+2?");
      expect(hit.choices[0]?.message.content).toBe("2 + 2 = 4.");
      expect(hit.usage.completion_tokens).toBe(8); // o200k: "2", " +", " ", "2", " =", " ", "4", "."
      expect((await ask("frontier-sim", "any model")).choices[0]?.message.content).toBe("yes");
      expect((await ask("frontier-sim", "What is 2+2?")).choices[0]?.message.content).not.toBe("2 + 2 = 4.");
      expect((await ask("small-sim", "What is 3+3?")).choices[0]?.message.content).not.toBe("2 + 2 = 4.");
    } finally {
      await replaySim.close();
    }
  });

  it("rejects a malformed replay line at start-up", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-replay-"));
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, `{"prompt": "no response field"}\n`);
    await expect(startSimulator({ replayFile: file })).rejects.toThrow(/bad.jsonl:1/);
  });
});
