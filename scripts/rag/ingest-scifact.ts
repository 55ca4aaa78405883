/**
 * `npm run rag:ingest-scifact`: against a running `npm start`, creates the collection
 * `scifact` (if missing) with the dev developer key from .dev-keys.json and ingests the SciFact
 * abstracts (read in place from ../shared/data/rag/scifact-dev) through the public API, 50
 * documents a request. Re-running is cheap: unchanged documents are skipped by content hash.
 *
 *   npm run rag:ingest-scifact -- [--url http://127.0.0.1:8787] [--limit N] [--collection scifact]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCli } from "../lib/cli";
import { loadCorpus, scifactAvailable } from "../../bench/rag/scifact";

const { values } = parseCli({
  name: "npm run rag:ingest-scifact --",
  summary: "Against a running `npm start`: creates the collection and ingests the SciFact abstracts (../shared/data/rag/scifact-dev) through the public API with the dev developer key (.dev-keys.json). Unchanged documents are skipped.",
  options: {
    url: { type: "string", default: process.env.GATEWAY_URL ?? "http://127.0.0.1:8787", description: "gateway base URL (env GATEWAY_URL)" },
    collection: { type: "string", default: "scifact", value: "ID", description: "collection id" },
    limit: { type: "string", value: "N", description: "ingest only the first N abstracts" },
    batch: { type: "string", default: "50", value: "N", description: "documents per request (at most 100)" },
  },
});

async function call(path: string, key: string, body?: unknown, method = body === undefined ? "GET" : "POST"): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${values.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

async function main(): Promise<void> {
  if (!scifactAvailable()) throw new Error("SciFact not found: set SCIFACT_DIR or place ../shared/data/rag/scifact-dev");
  const keys = JSON.parse(readFileSync(join(process.cwd(), ".dev-keys.json"), "utf8")) as { developer?: { key: string } };
  const key = keys.developer?.key;
  if (!key) throw new Error(".dev-keys.json has no developer key: run `npm start` first");
  const collection = String(values.collection);
  const created = await call("/v1/collections", key, { id: collection, description: "SciFact abstracts (BEIR)" });
  if (created.status !== 201 && created.status !== 409) throw new Error(`creating the collection: ${created.status} ${JSON.stringify(created.json)}`);
  const docs = loadCorpus().slice(0, values.limit ? Number(values.limit) : undefined);
  const batch = Number(values.batch);
  const t0 = Date.now();
  const counts: Record<string, number> = {};
  for (let i = 0; i < docs.length; i += batch) {
    const documents = docs.slice(i, i + batch).map((d) => ({ id: `scifact-${d.id}`, title: d.title, text: d.text, metadata: { source: "scifact", corpus_id: d.id } }));
    const r = await call(`/v1/collections/${collection}/documents`, key, { documents });
    if (r.status !== 200 && r.status !== 202) throw new Error(`batch at ${i}: ${r.status} ${JSON.stringify(r.json)}`);
    for (const d of (r.json as { data: Array<{ status: string }> }).data) counts[d.status] = (counts[d.status] ?? 0) + 1;
    process.stdout.write(`\r${Math.min(i + batch, docs.length)}/${docs.length} documents (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const info = await call(`/v1/collections/${collection}`, key);
  console.log(`\n${JSON.stringify(counts)}; collection: ${JSON.stringify(info.json)}`);
}

await main();
