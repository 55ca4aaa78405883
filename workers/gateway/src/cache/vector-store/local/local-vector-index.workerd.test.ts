/**
 * Runs the LocalVectorIndex Durable Object and the whole response cache inside workerd
 * (Miniflare API, esbuild bundle), persisted to a temp dir, and restarts Miniflare to prove
 * entries survive a restart and stay tenant-scoped.
 */
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ENTRY = resolve(import.meta.dirname, "../../testing/workerd-cache-worker.ts");
let script = "";
const persist = mkdtempSync(join(tmpdir(), "cache-vectors-"));

async function start(): Promise<Miniflare> {
  return new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2026-04-01",
    compatibilityFlags: ["nodejs_compat"],
    kvNamespaces: ["CACHE_KV"],
    kvPersist: join(persist, "kv"),
    durableObjects: { VECTOR_INDEX: { className: "LocalVectorIndex", useSQLite: true } },
    durableObjectsPersist: join(persist, "do"),
  });
}

async function call(mf: Miniflare, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await mf.dispatchFetch("http://cache.test/", { method: "POST", body: JSON.stringify(body) });
  return (await res.json()) as Record<string, unknown>;
}

describe("LocalVectorIndex in workerd", () => {
  beforeAll(async () => {
    const out = await build({
      entryPoints: [ENTRY],
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["module", "main"],
      external: ["cloudflare:workers"],
      loader: { ".bin": "binary" },
      write: false,
      logLevel: "silent",
    });
    script = out.outputFiles[0]?.text ?? "";
  });
  afterAll(() => rmSync(persist, { recursive: true, force: true }));

  it("serves a semantic hit after a restart, never to another tenant, and purges", async () => {
    let mf = await start();
    await call(mf, { op: "store", tenant: "t-acme", question: "How can I reset my password?", answer: "Use the reset link." });
    expect(await call(mf, { op: "lookup", tenant: "t-acme", question: "How do I reset my password?" })).toMatchObject({
      status: "hit-semantic",
      content: "Use the reset link.",
    });
    await mf.dispose();

    mf = await start();
    try {
      const after = await call(mf, { op: "lookup", tenant: "t-acme", question: "How do I reset my password?" });
      expect(after).toMatchObject({ status: "hit-semantic", content: "Use the reset link." });
      expect(await call(mf, { op: "lookup", tenant: "t-globex", question: "How can I reset my password?" })).toMatchObject({ status: "miss" });
      await call(mf, { op: "purge", tenant: "t-acme" });
      expect(await call(mf, { op: "lookup", tenant: "t-acme", question: "How can I reset my password?" })).toMatchObject({ status: "miss" });
    } finally {
      await mf.dispose();
    }
  });
});
