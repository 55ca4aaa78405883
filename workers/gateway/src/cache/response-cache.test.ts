import { beforeEach, describe, expect, it } from "vitest";
import { auditPayload } from "./audit-payload";
import { createResponseCache, type ResponseCache } from "./response-cache";
import { CacheSettingsSchema, DEFAULT_SEMANTIC_THRESHOLD } from "./settings";
import { MemoryKv } from "./testing/memory-kv";
import { MemoryVectorStore } from "./testing/memory-vector-store";
import { testEmbedder } from "./testing/test-embedder";
import { NO_DIRECTIVES, answer, chat, input, scope } from "./testing/fixtures";

describe("createResponseCache", () => {
  let kv: MemoryKv;
  let vectors: MemoryVectorStore;
  let cache: ResponseCache;
  const make = (settings: unknown = {}): ResponseCache =>
    createResponseCache({ kv: kv.asKv(), vectors, embedder: testEmbedder(), settings: CacheSettingsSchema.parse(settings) });

  beforeEach(() => {
    kv = new MemoryKv();
    vectors = new MemoryVectorStore();
    cache = make();
  });

  const prime = async (question: string, s = scope(), text = "Use the reset link on the login page.") => {
    const req = chat(question);
    await cache.store({ ...input(req, s), response: answer(text), costUsd: 0.0042 });
  };

  it("misses, stores, then hits exactly with the original cost avoided", async () => {
    const req = chat("How do I reset my password?");
    const first = await cache.lookup(input(req));
    expect(first.status).toBe("miss");
    await cache.store({ ...input(req), response: answer("Use the reset link."), costUsd: 0.0042, lookup: first });
    const second = await cache.lookup(input(req, scope(), { requestId: "req-2" }));
    expect(second.status).toBe("hit-exact");
    expect(second.response?.choices[0]?.message.content).toBe("Use the reset link.");
    expect(second.response?.id).toBe("chatcmpl-req-2");
    expect(second.costAvoidedUsd).toBe(0.0042);
    expect(second.entry?.usage?.total_tokens).toBe(30);
  });

  it("hits semantically on a paraphrase and reports similarity", async () => {
    await prime("How can I reset my password?");
    const r = await cache.lookup(input(chat("How do I reset my password?")));
    expect(r.status).toBe("hit-semantic");
    expect(r.similarity).toBeGreaterThanOrEqual(DEFAULT_SEMANTIC_THRESHOLD);
    expect(r.entry?.question).toBe("How can I reset my password?");
  });

  it("never serves another tenant's entry, exact or semantic", async () => {
    await prime("How do I reset my password?", scope("t-acme"));
    expect((await cache.lookup(input(chat("How do I reset my password?"), scope("t-globex")))).status).toBe("miss");
    expect((await cache.lookup(input(chat("How can I reset my password?"), scope("t-globex")))).status).toBe("miss");
  });

  it("re-checks the tenant even if the vector store returns a foreign match", async () => {
    await prime("How do I reset my password?", scope("t-acme"));
    const foreign = [...(vectors.tenants.get("t-acme")?.entries() ?? [])];
    // Simulate a store bug: the victim tenant's namespace content is served to the attacker's query.
    const evil = { ...vectors, query: async (v: Float32Array, o: { topK: number; namespace: string }) => foreign[0]![1].query(v, o.topK), upsert: vectors.upsert.bind(vectors), purge: vectors.purge.bind(vectors) };
    const attacker = createResponseCache({ kv: kv.asKv(), vectors: evil, embedder: testEmbedder(), settings: CacheSettingsSchema.parse({}) });
    const r = await attacker.lookup(input(chat("How do I reset my password?"), scope("t-globex")));
    expect(r.status).toBe("miss");
  });

  it("requires the same context: a different system prompt or tools never hit", async () => {
    await prime("How do I reset my password?");
    const other = chat("How do I reset my password?", {
      messages: [{ role: "system", content: "You are a pirate." }, { role: "user", content: "How do I reset my password?" }],
    });
    expect((await cache.lookup(input(other))).status).toBe("miss");
    const withTools = chat("How do I reset my password?", { tools: [{ type: "function", function: { name: "lookup_user" } }] });
    expect((await cache.lookup(input(withTools))).status).toBe("miss");
  });

  it("refuses a close neighbour that differs in a date, and says why", async () => {
    // A loose cold threshold so the vector match succeeds and the guard is what refuses.
    cache = make({ defaults: { coldThreshold: 0.5 } });
    await prime("Book a flight to Paris on May 3");
    const r = await cache.lookup(input(chat("Book a flight to Paris on May 4")));
    expect(r.status).toBe("miss");
    expect(r.reason).toBe("guard:numbers");
  });

  it("refuses a close neighbour whose key content word differs (lexical penalty), and reports the score", async () => {
    // Static mode at 0.8. Cosine ~0.92, above the 0.82 floor; the one content word not shared is the point (score ~0.75).
    cache = make({ defaults: { maxFalseHitRate: null, threshold: 0.8 } });
    await prime("My kid is learning to swim.");
    const r = await cache.lookup(input(chat("My kid is learning to skate.")));
    expect(r.status).toBe("miss");
    expect(r.reason).toBe("lexical");
    expect(r.similarity).toBeUndefined();
    expect(r.nearMiss?.score).toBeLessThan(0.8);
    expect(r.semantic).toMatchObject({ phase: "static", threshold: 0.8 });
  });

  it("honours no-cache (lookup bypassed, still stored) and no-store", async () => {
    const req = chat("What is our refund policy?");
    const r = await cache.lookup(input(req, scope(), { directives: { ...NO_DIRECTIVES, noCache: true } }));
    expect(r).toMatchObject({ status: "bypass", reason: "no-cache", storable: true });
    await cache.store({ ...input(req, scope(), { directives: { ...NO_DIRECTIVES, noStore: true } }), response: answer("30 days."), costUsd: 0.001 });
    expect((await cache.lookup(input(req))).status).toBe("miss");
  });

  it("a client threshold cannot go below the policy floor", async () => {
    await prime("How do I change my billing address?");
    const loose = { ...NO_DIRECTIVES, threshold: 0.1 };
    const r = await cache.lookup(input(chat("How do I delete my account?"), scope(), { directives: loose }));
    expect(r.status).toBe("miss");
  });

  it("does not cache high-temperature requests, errors or tool calls by default", async () => {
    const hot = chat("Write a poem about the sea", { temperature: 1.5 });
    expect((await cache.lookup(input(hot))).status).toBe("bypass");
    const req = chat("What is the status of order 42?");
    await cache.store({ ...input(req), response: answer("", { choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "order", arguments: "{}" } }] }, finish_reason: "tool_calls" }] }), costUsd: 0 });
    await cache.store({ ...input(req), response: answer("partial", { choices: [{ index: 0, message: { role: "assistant", content: "x" }, finish_reason: "content_filter" }] }), costUsd: 0 });
    expect((await cache.lookup(input(req))).status).toBe("miss");
    expect(kv.data.size).toBe(0);
  });

  it("purge per feature leaves other features, per tenant clears all", async () => {
    await prime("How do I reset my password?", scope("t-acme", { feature: "support" }));
    await prime("How do I reset my password?", scope("t-acme", { feature: "sales" }));
    await cache.purge("t-acme", "support");
    expect((await cache.lookup(input(chat("How do I reset my password?"), scope("t-acme", { feature: "support" })))).status).toBe("miss");
    expect((await cache.lookup(input(chat("How do I reset my password?"), scope("t-acme", { feature: "sales" })))).status).toBe("hit-exact");
    await cache.purge("t-acme");
    expect((await cache.lookup(input(chat("How do I reset my password?"), scope("t-acme", { feature: "sales" })))).status).toBe("miss");
  });

  it("scopes by end user when the policy asks", async () => {
    cache = make({ defaults: { scopeBy: { endUser: true } } });
    await prime("How do I reset my password?", scope("t-acme", { endUser: "u1" }));
    expect((await cache.lookup(input(chat("How do I reset my password?"), scope("t-acme", { endUser: "u2" })))).status).toBe("miss");
    expect((await cache.lookup(input(chat("How do I reset my password?"), scope("t-acme", { endUser: "u1" })))).status).toBe("hit-exact");
  });

  it("marks sampled semantic hits for audit", async () => {
    cache = make({ defaults: { auditRate: 1 } });
    await prime("How can I reset my password?");
    const r = await cache.lookup(input(chat("How do I reset my password?")));
    expect(r).toMatchObject({ status: "hit-semantic", audit: true });
    expect(auditPayload(r)).toMatchObject({ cachedQuestion: "How can I reset my password?", question: "How do I reset my password?", entryId: r.entry?.entryId });
  });
});
