/**
 * Property: whatever two distinct tenants ask (same text, paraphrases, same feature, same key
 * id), an entry stored by one is never returned to the other, exact or semantic.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createResponseCache } from "./response-cache";
import { CacheSettingsSchema } from "./settings";
import { MemoryKv } from "./testing/memory-kv";
import { MemoryVectorStore } from "./testing/memory-vector-store";
import { testEmbedder } from "./testing/test-embedder";
import { answer, chat, input, scope } from "./testing/fixtures";

const QUESTIONS = [
  "How do I reset my password?",
  "How can I reset my password?",
  "What is your refund policy?",
  "what's the refund policy",
  "Where is my order?",
];

describe("tenant isolation (property)", () => {
  it("never serves an entry across tenants", async () => {
    const tenant = fc.stringMatching(/^[a-z0-9:/%_-]{1,12}$/);
    await fc.assert(
      fc.asyncProperty(tenant, tenant, fc.constantFrom(...QUESTIONS), fc.constantFrom(...QUESTIONS), async (a, b, stored, asked) => {
        fc.pre(a !== b);
        const cache = createResponseCache({
          kv: new MemoryKv().asKv(),
          vectors: new MemoryVectorStore(),
          embedder: testEmbedder(),
          settings: CacheSettingsSchema.parse({ defaults: { threshold: 0.5 } }),
        });
        await cache.store({ ...input(chat(stored), scope(a)), response: answer(`for ${a}`), costUsd: 0.01 });
        const other = await cache.lookup(input(chat(asked), scope(b)));
        expect(other.status).toBe("miss");
        const own = await cache.lookup(input(chat(stored), scope(a)));
        expect(own.status).toBe("hit-exact");
      }),
      { numRuns: 60 },
    );
  });
});
