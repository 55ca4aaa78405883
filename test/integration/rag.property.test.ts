/**
 * Property, through workerd: whatever a caller sends to /v1/collections (any method, path,
 * body and role) or as a chat request's `retrieval` field, the answer is a 4xx or a success,
 * never a 5xx, and every error has the OpenAI shape.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";

let stack: Stack;
const keys: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  const dev = await seedKey(stack, { name: "prop", role: "developer" });
  keys.developer = dev.key;
  keys.service = (await seedKey(stack, { name: "prop", role: "service", tenantId: dev.tenantId })).key;
  keys.viewer = (await seedKey(stack, { name: "prop", role: "viewer", tenantId: dev.tenantId })).key;
  keys.other = (await seedKey(stack, { name: "other", role: "developer" })).key;
  await stack.fetch("/v1/collections", { method: "POST", headers: bearer(keys.developer), body: JSON.stringify({ id: "kb" }) });
  await stack.fetch("/v1/collections/kb/documents", {
    method: "POST",
    headers: bearer(keys.developer),
    body: JSON.stringify({ id: "d1", title: "Ferns", text: "Ferns grow in shade and like moist soil.", metadata: { kind: "plant" } }),
  });
});
afterAll(async () => stack?.close());

const segment = fc.oneof(fc.constantFrom("kb", "d1", "nope", "..", "%00", "a".repeat(200), "-x", "search", "documents"), fc.string({ maxLength: 12 }).map(encodeURIComponent));
const path = fc.oneof(
  fc.constant("/v1/collections"),
  segment.map((id) => `/v1/collections/${id}`),
  fc.tuple(segment, fc.constantFrom("documents", "search")).map(([id, s]) => `/v1/collections/${id}/${s}`),
  fc.tuple(segment, segment).map(([id, d]) => `/v1/collections/${id}/documents/${d}`),
);
const scalar = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const filters = fc.oneof(
  fc.dictionary(fc.oneof(fc.constantFrom("kind", "year"), fc.string({ maxLength: 6 })), fc.oneof(scalar, fc.record({ $in: fc.array(scalar, { maxLength: 4 }) }), fc.record({ $ne: scalar }), fc.record({ $gt: scalar })), { maxKeys: 3 }),
  scalar,
);
const doc = fc.record(
  { id: fc.oneof(segment, fc.constant("d2")), title: fc.oneof(fc.string({ maxLength: 30 }), scalar), text: fc.oneof(fc.string({ maxLength: 300 }), scalar), metadata: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }), scalar) },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 40 }),
  fc.record({ id: fc.oneof(segment, fc.constant("fresh")), description: scalar, chunking: fc.oneof(scalar, fc.record({ size: fc.integer({ min: -10, max: 10_000 }), overlap: fc.integer({ min: -10, max: 6000 }) }, { requiredKeys: [] })) }, { requiredKeys: [] }),
  doc,
  fc.record({ documents: fc.oneof(fc.array(doc, { maxLength: 3 }), scalar), async: fc.oneof(fc.boolean(), scalar) }, { requiredKeys: [] }),
  fc.record({ query: fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('ferns" OR NEAR(', "scope : x", "*"), scalar), top_k: fc.oneof(fc.integer({ min: -5, max: 80 }), scalar), filters, rerank: scalar, candidates: fc.oneof(fc.integer({ min: 0, max: 200 }), scalar), mode: fc.oneof(fc.constantFrom("hybrid", "lexical", "dense", "x"), scalar) }, { requiredKeys: [] }),
);

const STACK_FRAME = /\n\s+at \S+ \(|\.ts:\d+:\d+/;

function expectClean(status: number, text: string, what: string): void {
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* a non-JSON error body fails the error-shape check below */
  }
  expect(status, `${what}: ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(text, what).not.toMatch(STACK_FRAME);
  if (status >= 400) {
    const error = (json as { error?: { code?: unknown; message?: unknown; type?: unknown } } | null)?.error;
    expect(error, `${what}: ${text.slice(0, 300)}`).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String), type: expect.any(String) }));
  }
}

describe("/v1/collections property", () => {
  it("never answers 5xx, whatever the method, path, body and key", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("GET", "POST", "DELETE", "PUT"), path, body, fc.constantFrom("developer", "service", "viewer", "other"), async (method, p, b, who) => {
        const res = await stack.fetch(p, { method, headers: bearer(keys[who] as string), ...(method === "GET" || b === undefined ? {} : { body: typeof b === "string" ? b : JSON.stringify(b) }) });
        expectClean(res.status, await res.text(), `${method} ${p} as ${who}`);
      }),
      { numRuns: 120 },
    );
  });

  it("a chat request's retrieval field never causes a 5xx", async () => {
    const retrieval = fc.oneof(
      scalar,
      fc.record({ collection: fc.oneof(segment, fc.constant("kb"), scalar), top_k: fc.oneof(fc.integer({ min: -2, max: 30 }), scalar), filters, rerank: scalar, extra: scalar }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(retrieval, fc.string({ minLength: 1, maxLength: 60 }), async (r, q) => {
        const res = await stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(keys.service as string), body: JSON.stringify({ model: "frontier-sim", retrieval: r, messages: [{ role: "user", content: q }] }) });
        expectClean(res.status, await res.text(), `retrieval ${JSON.stringify(r)}`);
      }),
      { numRuns: 60 },
    );
  });
});
