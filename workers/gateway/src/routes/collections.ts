/**
 * /v1/collections: collections of documents for retrieval-augmented chat (docs/rag.md). Thin
 * handlers over rag/: the tenant comes from the key; who may call what is in
 * auth/route-policies.ts (developer and admin keys write, service and developer keys search).
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../app-env";
import { parseQuery } from "../http/query";
import { parseWith, readJsonBody } from "../http/read-json-body";
import { settingsFor } from "../settings/settings-store";
import { piiHashKeyFor } from "../guardrails/redact/hash-key";
import { collectionView, createCollection, describeCollection, documentView, removeCollection, removeDocument, requireCollection } from "../rag/collections";
import { ingestDocument } from "../rag/ingest/ingest-document";
import { ragDeps } from "../rag/rag-deps";
import { searchView } from "../rag/search-view";
import { redactSearchQuery } from "../rag/retrieve/redact-query";
import { hybridSearch } from "../rag/retrieve/search";
import { mayRestoreDocumentPii } from "../rag/restore/document-pii";
import { restoreSearchResult } from "../rag/restore/restore-search";
import { CollectionParamsSchema, CreateCollectionSchema, DocumentParamsSchema, IngestBodySchema, ListQuerySchema, SearchBodySchema } from "../rag/schemas";
import { getDocument, listCollections, listDocuments } from "../rag/store/collections-repo";
import { GatewayError } from "../../../../shared/errors";

type Ctx = Context<AppEnv>;

async function ingest(c: Ctx) {
  const { id } = parseWith(CollectionParamsSchema, c.req.param());
  const tenantId = c.get("auth").tenantId;
  const collection = await requireCollection(c.env.DB, tenantId, id);
  const body = await readJsonBody(c, IngestBodySchema);
  const deps = ragDeps(c.env);
  const settings = await settingsFor(c.env.DB, tenantId, null);
  const hashKey = piiHashKeyFor(c.env, tenantId, settings.guardrails);
  const ctx = { ...deps, keyring: await deps.keyring(), guardrails: settings.guardrails, hashKey, now: Date.now() };
  const docs = "documents" in body ? body.documents : [body];
  const ids = new Set<string>();
  for (const d of docs) {
    if (ids.has(d.id)) throw new GatewayError("invalid_request", `Document id '${d.id}' appears twice in this request.`, { param: "documents" });
    ids.add(d.id);
  }
  const results = [];
  for (const d of docs) results.push(await ingestDocument(ctx, { tenantId, collectionId: id }, collection.chunking, d, body.async === true));
  const queued = results.some((r) => r.status === "queued");
  return c.json("documents" in body ? { object: "list", data: results } : results[0], queued ? 202 : 200);
}

export const collectionsRoutes = new Hono<AppEnv>()
  .post("/v1/collections", async (c) => {
    const created = await createCollection(c.env.DB, c.get("auth"), await readJsonBody(c, CreateCollectionSchema));
    return c.json(collectionView(created, { documents: 0, chunks: 0 }), 201);
  })
  .get("/v1/collections", async (c) => {
    const q = parseQuery(c.req.url, ListQuerySchema);
    const rows = await listCollections(c.env.DB, c.get("auth").tenantId, q.limit, q.after);
    return c.json({ object: "list", data: rows.map((r) => collectionView(r)), has_more: rows.length === q.limit });
  })
  .get("/v1/collections/:id", async (c) => c.json(await describeCollection(c.env.DB, c.get("auth").tenantId, parseWith(CollectionParamsSchema, c.req.param()).id)))
  .delete("/v1/collections/:id", async (c) => {
    const { id } = parseWith(CollectionParamsSchema, c.req.param());
    const { documents } = await removeCollection(ragDeps(c.env), c.get("auth").tenantId, id);
    return c.json({ id, object: "collection", deleted: true, documents_deleted: documents });
  })
  .post("/v1/collections/:id/documents", ingest)
  .get("/v1/collections/:id/documents", async (c) => {
    const { id } = parseWith(CollectionParamsSchema, c.req.param());
    const tenantId = c.get("auth").tenantId;
    await requireCollection(c.env.DB, tenantId, id);
    const q = parseQuery(c.req.url, ListQuerySchema);
    const rows = await listDocuments(c.env.DB, tenantId, id, q.limit, q.after);
    return c.json({ object: "list", data: rows.map(documentView), has_more: rows.length === q.limit });
  })
  .get("/v1/collections/:id/documents/:doc", async (c) => {
    const { id, doc } = parseWith(DocumentParamsSchema, c.req.param());
    const tenantId = c.get("auth").tenantId;
    await requireCollection(c.env.DB, tenantId, id);
    const row = await getDocument(c.env.DB, tenantId, id, doc);
    if (!row) throw new GatewayError("not_found", `No document '${doc}' in collection '${id}'.`, { param: "doc", code: "document_not_found" });
    return c.json(documentView(row));
  })
  .delete("/v1/collections/:id/documents/:doc", async (c) => {
    const { id, doc } = parseWith(DocumentParamsSchema, c.req.param());
    await removeDocument(ragDeps(c.env), c.get("auth").tenantId, id, doc);
    return c.json({ id: doc, object: "collection.document", deleted: true });
  })
  .post("/v1/collections/:id/search", async (c) => {
    const { id } = parseWith(CollectionParamsSchema, c.req.param());
    const tenantId = c.get("auth").tenantId;
    await requireCollection(c.env.DB, tenantId, id);
    const body = await readJsonBody(c, SearchBodySchema);
    const deps = ragDeps(c.env);
    const scope = { tenantId, collectionId: id };
    const { guardrails } = await settingsFor(c.env.DB, tenantId, null);
    const hashKey = piiHashKeyFor(c.env, tenantId, guardrails);
    const query = redactSearchQuery(body.query, guardrails, hashKey);
    const result = await c.get("timing").measure("search", () =>
      hybridSearch(deps, scope, { query: query.searched, topK: body.top_k, filters: body.filters, rerank: body.rerank, candidates: body.candidates, mode: body.mode }),
    );
    // Document PII comes back only to keys with content access (rag/restore/document-pii.ts).
    const shown = mayRestoreDocumentPii(c.get("auth")) ? await restoreSearchResult(deps, scope, result, guardrails, hashKey) : result;
    return c.json({ ...searchView(id, shown), search_query: query.redacted });
  });
