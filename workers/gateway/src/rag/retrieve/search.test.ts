import { describe, expect, it } from "vitest";
import { DOCS, ragFixture } from "../testing/fixtures";
import { hybridSearch } from "./search";

const mine = { tenantId: "ten_a", collectionId: "howto" };

describe("hybridSearch", () => {
  it("finds the document that answers, with every retriever's score", async () => {
    const f = await ragFixture();
    await f.ingest(mine, DOCS);
    const r = await hybridSearch(f.deps, mine, { query: "how hot should the water be for green tea?", topK: 3 });
    expect(r.hits[0]?.chunk.documentId).toBe("tea");
    const top = r.hits[0];
    expect(top?.bm25).toBeGreaterThan(0);
    expect(top?.bm25Rank).toBe(1);
    expect(top?.dense).toEqual(expect.any(Number));
    expect(top?.fused).toBeGreaterThan(0);
    expect(top?.rerank).toEqual(expect.any(Number));
    expect(r.reranker).toMatch(/^local:/);
    expect(r.hits.map((h) => h.rank)).toEqual([1, 2, 3]);
  });

  it("applies metadata filters to both retrievers", async () => {
    const f = await ragFixture();
    await f.ingest(mine, DOCS);
    const r = await hybridSearch(f.deps, mine, { query: "water", topK: 10, filters: { topic: "kitchen" } });
    expect(new Set(r.hits.map((h) => h.chunk.documentId))).toEqual(new Set(["tea", "bread"]));
    const none = await hybridSearch(f.deps, mine, { query: "water", topK: 10, filters: { year: { $in: [1999] } } });
    expect(none.hits).toEqual([]);
  });

  it("never returns another collection's or tenant's chunks", async () => {
    const f = await ragFixture();
    await f.ingest(mine, DOCS.slice(0, 2));
    await f.ingest({ tenantId: "ten_a", collectionId: "other" }, DOCS.slice(2));
    await f.ingest({ tenantId: "ten_b", collectionId: "howto" }, DOCS.slice(2));
    const r = await hybridSearch(f.deps, mine, { query: "volcano magma erupts tomato sourdough", topK: 10 });
    expect(r.hits.every((h) => ["tea", "bike"].includes(h.chunk.documentId))).toBe(true);
  });

  it("re-ingesting the same document is a no-op; a changed one gets new chunk ids", async () => {
    const f = await ragFixture();
    const [first] = await f.ingest(mine, DOCS.slice(0, 1));
    const [again] = await f.ingest(mine, DOCS.slice(0, 1));
    expect(first?.status).toBe("ready");
    expect(again).toMatchObject({ status: "unchanged", content_hash: first?.content_hash });
    const before = await hybridSearch(f.deps, mine, { query: "green tea", topK: 5 });
    const changed = { ...(DOCS[0] as (typeof DOCS)[number]), text: "Green tea is best brewed with water at 75 degrees." };
    const [updated] = await f.ingest(mine, [changed]);
    expect(updated?.content_hash).not.toBe(first?.content_hash);
    const after = await hybridSearch(f.deps, mine, { query: "green tea", topK: 5 });
    expect(after.hits).toHaveLength(1);
    expect(after.hits[0]?.chunk.chunkId).not.toBe(before.hits[0]?.chunk.chunkId);
    expect(after.hits[0]?.chunk.text).toContain("75 degrees");
  });

  it("treats FTS5 syntax in a query as words", async () => {
    const f = await ragFixture();
    await f.ingest(mine, DOCS);
    for (const q of ['tea" OR NEAR(', "scope : x", "* ^ -", "title:tea AND"]) {
      await expect(hybridSearch(f.deps, mine, { query: q, topK: 3 })).resolves.toBeDefined();
    }
  });
});
