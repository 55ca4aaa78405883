import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSse } from "../../shared/sse";
import { SHIPPED_COLD_THRESHOLD as COLD } from "../../workers/gateway/src/cache/calibration/scorer";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";

let stack: Stack;
let keyA: string;
let keyB: string;
let keyC: string;

beforeAll(async () => {
  stack = await startStack();
  ({ key: keyA } = await seedKey(stack, { name: "tenant-a" }));
  ({ key: keyB } = await seedKey(stack, { name: "tenant-b" }));
  // Tenant C chooses exact hits only until feedback certifies a threshold.
  const c = await seedKey(stack, { name: "tenant-c" });
  keyC = c.key;
  await stack.db
    .prepare("INSERT INTO tenant_settings (tenant_id, feature, settings_json, updated_at) VALUES (?1, '', ?2, 0)")
    .bind(c.tenantId, JSON.stringify({ cache: { coldThreshold: "exact" } }))
    .run();
});
afterAll(async () => stack?.close());

const ask = (key: string, content: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(key, headers), body: JSON.stringify({ model: "auto", messages: [{ role: "user", content }], ...extra }) });

async function seeded(key: string, content: string): Promise<string> {
  const res = await ask(key, content);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
  // Stores happen after the response (waitUntil): give them a moment.
  await new Promise((r) => setTimeout(r, 300));
  return body.choices[0]?.message.content ?? "";
}

describe("response cache through workerd", () => {
  it("answers a repeat from the exact cache and a paraphrase from the semantic cache", async () => {
    const first = await seeded(keyA, "What is the capital of France?");
    const repeat = await ask(keyA, "What is the capital of France?");
    expect(repeat.headers.get("x-cache")).toBe("hit-exact");
    const paraphrase = await ask(keyA, "What's the capital city of France?");
    expect(paraphrase.headers.get("x-cache")).toBe("hit-semantic");
    // A fresh namespace starts at the shipped scorer's strict cold threshold.
    expect(paraphrase.headers.get("x-cache-threshold")).toBe(COLD.toFixed(3));
    // x-cache-similarity is the hit score (cosine minus the content-word penalty) the threshold was compared with.
    expect(Number(paraphrase.headers.get("x-cache-similarity"))).toBeGreaterThanOrEqual(COLD);
    const body = (await paraphrase.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toBe(first);
  });

  it("serves exact hits only while cold for a tenant that chooses it", async () => {
    await seeded(keyC, "How do I rotate my API key?");
    expect((await ask(keyC, "How do I rotate my API key?")).headers.get("x-cache")).toBe("hit-exact");
    const paraphrase = await ask(keyC, "How can I rotate my API key?");
    expect(paraphrase.headers.get("x-cache")).toBe("miss");
    expect(paraphrase.headers.get("x-cache-threshold")).toBe("exact-only");
    expect(paraphrase.headers.get("x-cache-similarity")).toBeNull();
  });

  it("never serves a key an answer from a model it may not use (entries are not keyed by API key)", async () => {
    const a = await seedKey(stack, { name: "tiers" });
    const frontierOnly = await seedKey(stack, { tenantId: a.tenantId, tiers: ["frontier"] });
    const question = "Which planet is closest to the sun?";
    const first = await ask(a.key, question); // "auto": the router picks the small tier
    expect(first.headers.get("x-model")).toBe("small-sim");
    await new Promise((r) => setTimeout(r, 300));
    expect((await ask(a.key, question)).headers.get("x-cache")).toBe("hit-exact");
    // The same "auto" body from a key that may not use the small tier: not the small-tier answer.
    const other = await ask(frontierOnly.key, question);
    expect(other.status).toBe(200);
    expect(other.headers.get("x-cache")).not.toMatch(/^hit/);
    expect(other.headers.get("x-model")).toBe("frontier-sim");
  });

  it("does not hit for a negated question or a changed number", async () => {
    await seeded(keyA, "How do I enable two-factor authentication on my account?");
    expect((await ask(keyA, "How do I disable two-factor authentication on my account?")).headers.get("x-cache")).toBe("miss");
    await seeded(keyA, "Find me flights to Paris on May 3");
    expect((await ask(keyA, "Find me flights to Paris on May 4")).headers.get("x-cache")).toBe("miss");
  });

  it("never serves one tenant's entry to another", async () => {
    await seeded(keyA, "What is our refund policy for annual plans?");
    const other = await ask(keyB, "What is our refund policy for annual plans?");
    expect(other.headers.get("x-cache")).toBe("miss");
    expect(other.headers.get("x-upstream")).toMatch(/sim$/);
  });

  it("replays a cached answer as SSE to a streaming client", async () => {
    const text = await seeded(keyA, "Explain what a content delivery network does.");
    const res = await ask(keyA, "Explain what a content delivery network does.", { stream: true, stream_options: { include_usage: true } });
    expect(res.headers.get("x-cache")).toBe("hit-exact");
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    let streamed = "";
    let sawUsage = false;
    for await (const ev of readSse(res.body as ReadableStream<Uint8Array>)) {
      if (ev.data === "[DONE]") break;
      const chunk = JSON.parse(ev.data) as { choices: Array<{ delta: { content?: string } }>; usage?: unknown };
      streamed += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) sawUsage = true;
    }
    expect(streamed).toBe(text);
    expect(sawUsage).toBe(true);
  });

  it("honours Cache-Control: no-cache and purges on DELETE /v1/cache", async () => {
    await seeded(keyA, "List three uses of a hash map.");
    expect((await ask(keyA, "List three uses of a hash map.", {}, { "cache-control": "no-cache" })).headers.get("x-cache")).toBe("bypass");
    const dev = await seedKey(stack, { role: "developer", tenantId: (await stack.db.prepare("SELECT tenant_id FROM api_keys WHERE key_prefix = ?1").bind(keyA.split("_")[2]).first<{ tenant_id: string }>())?.tenant_id });
    const purge = await stack.fetch("/v1/cache", { method: "DELETE", headers: bearer(dev.key) });
    expect(purge.status).toBe(200);
    expect((await ask(keyA, "List three uses of a hash map.")).headers.get("x-cache")).toBe("miss");
  });
});
