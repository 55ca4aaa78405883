import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalEmbedder } from "./embedder/local/local-embedder";
import { createResponseCache } from "./response-cache";
import { CacheSettingsSchema } from "./settings";
import { MemoryKv } from "./testing/memory-kv";
import { MemoryVectorStore } from "./testing/memory-vector-store";
import { testEmbedder } from "./testing/test-embedder";
import { answer, chat, input } from "./testing/fixtures";

describe("vector namespaces keyed by embedder", () => {
  it("never compares a vector of one embedder with one of another", async () => {
    const kv = new MemoryKv();
    const vectors = new MemoryVectorStore();
    const distilled = new LocalEmbedder(readFileSync(resolve(import.meta.dirname, "embedder/local/usedistil-int8.bin")));
    // Static mode: the hit does not depend on either scorer's measured cold start.
    const settings = CacheSettingsSchema.parse({ defaults: { maxFalseHitRate: null } });
    const withGlove = createResponseCache({ kv: kv.asKv(), vectors, embedder: testEmbedder(), settings });
    const withDistilled = createResponseCache({ kv: kv.asKv(), vectors, embedder: distilled, settings });
    await withGlove.store({ ...input(chat("How can I reset my password?")), response: answer("Use the reset link."), costUsd: 0.001 });
    const paraphrase = input(chat("How do I reset my password?"));
    expect((await withGlove.lookup(paraphrase)).status).toBe("hit-semantic");
    expect((await withDistilled.lookup(paraphrase)).status).toBe("miss");
    // The exact entry is not a vector: both embedders serve it.
    expect((await withDistilled.lookup(input(chat("How can I reset my password?")))).status).toBe("hit-exact");
  });
});
