/** Property: whatever a caller sends to /v1/prompts, the answer is never a 5xx, and a refused write writes nothing. */
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { GREETING, promptsFixture } from "../prompts/testing";
import { promptsRoutes } from "./prompts";

vi.mock("cloudflare:workers", () => ({ DurableObject: class {}, env: {} }));

let f: Awaited<ReturnType<typeof promptsFixture>>;
beforeAll(async () => {
  f = await promptsFixture([promptsRoutes]);
  await f.call("POST", "/v1/prompts", f.keys.developer, GREETING);
});

const segment = fc.oneof(fc.constantFrom("greeting", "nope", "production", "1", "0", "-1", "99999999", "%00", "..", "a".repeat(80)), fc.string({ maxLength: 12 }).map(encodeURIComponent));
const path = fc.oneof(
  fc.constant("/v1/prompts"),
  segment.map((id) => `/v1/prompts/${id}`),
  fc.tuple(segment, fc.constantFrom("versions", "render", "compare", "labels")).map(([id, s]) => `/v1/prompts/${id}/${s}`),
  fc.tuple(segment, segment).map(([id, v]) => `/v1/prompts/${id}/versions/${v}`),
  fc.tuple(segment, segment).map(([id, l]) => `/v1/prompts/${id}/labels/${l}`),
);
const query = fc.dictionary(fc.constantFrom("limit", "cursor", "feature", "from", "to", "versions", "x"), fc.oneof(fc.string({ maxLength: 20 }), fc.integer().map(String)), { maxKeys: 3 });
const value = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const messages = fc.array(fc.record({ role: fc.constantFrom("system", "user", "assistant", "tool", "x"), content: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom("{{a}}", "{{ b }}", "{{", "\\{{a}}", "{{1}}")) }), { maxLength: 3 });
const body = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 40 }),
  fc.record({ id: fc.oneof(segment, fc.constant("fresh")), messages, variables: fc.array(fc.record({ name: fc.constantFrom("a", "b", "1x"), type: fc.constantFrom("string", "integer", "enum", "bogus"), default: value }, { requiredKeys: ["name"] }), { maxLength: 3 }), labels: fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }), feature: fc.oneof(fc.constant(null), fc.string({ maxLength: 8 })) }, { requiredKeys: [] }),
  fc.record({ version: value, label: value, variables: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 5 }), value) }, { requiredKeys: [] }),
);

describe("/v1/prompts property", () => {
  it("never answers 5xx, whatever the method, path, query, body and key", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("GET", "POST", "PUT", "DELETE"), path, query, body, fc.constantFrom("developer", "viewer", "service", "supportDev", "otherTenant") as fc.Arbitrary<keyof typeof f.keys>, async (method, p, q, b, who) => {
        const qs = new URLSearchParams(q).toString();
        const res = await f.call(method, `${p}${qs ? `?${qs}` : ""}`, f.keys[who], method === "GET" || method === "DELETE" ? undefined : b);
        expect(res.status, `${method} ${p}?${qs} as ${who}: ${JSON.stringify(res.json).slice(0, 300)}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.json.error?.code).toEqual(expect.any(String));
      }),
      { numRuns: 300 },
    );
  });

  it("writes nothing on a refused write", async () => {
    await fc.assert(
      fc.asyncProperty(path, body, async (p, b) => {
        const before = await f.snapshot();
        const res = await f.call("POST", p, f.keys.developer, b);
        if (res.status >= 400) expect(await f.snapshot()).toBe(before);
      }),
      { numRuns: 150 },
    );
  });
});
