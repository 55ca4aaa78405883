/** Property: no GraphQL request, well-formed or not, gets a 5xx, and every 400 says why. */
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { GREETING, promptsFixture } from "../prompts/testing";
import { graphqlRoutes } from "./graphql";
import { promptsRoutes } from "./prompts";

vi.mock("cloudflare:workers", () => ({ DurableObject: class {}, env: {} }));

let f: Awaited<ReturnType<typeof promptsFixture>>;
beforeAll(async () => {
  f = await promptsFixture([promptsRoutes, graphqlRoutes]);
  await f.call("POST", "/v1/prompts", f.keys.developer, GREETING);
});

const scalarArg = fc.oneof(
  fc.integer({ min: -5, max: 500 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => String(d)),
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.constantFrom("true", "null", "[1, 2]", "[feature]", "ok", "hit_exact", '"2026-01-01T00:00:00Z"', '"greeting"', "$v"),
);
const argName = fc.constantFrom("limit", "cursor", "from", "to", "feature", "status", "httpStatus", "model", "tier", "cache", "promptId", "id", "groupBy", "since", "targetPrecision", "minSamples", "maxScore", "versions", "version", "bogus");
const args = fc.uniqueArray(fc.tuple(argName, scalarArg), { maxLength: 3, selector: ([n]) => n }).map((a) => (a.length ? `(${a.map(([n, v]) => `${n}: ${v}`).join(", ")})` : ""));

const leaf = fc.constantFrom("requestId", "id", "status", "costUsd", "content", "decisions", "feature", "latestVersion", "version", "requests", "nope", "__typename", "hasMore", "nextCursor");
const selection: fc.Arbitrary<string> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small" }, leaf, fc.tuple(fc.constantFrom("data", "rows", "labels", "versions", "version", "comparison", "tokens", "cost", "latencyMs", "evaluation", "prompt", "verdicts", "byFeature"), args, fc.array(tie("node"), { minLength: 1, maxLength: 3 })).map(([n, a, s]) => `${n}${a} { ${s.join(" ")} }`)),
})).node;
const top = fc.tuple(fc.constantFrom("usage", "requests", "request", "evaluations", "prompts", "prompt", "routerRollout", "cacheQuality", "nope"), args, fc.array(selection, { maxLength: 3 }))
  .map(([n, a, s]) => (s.length ? `${n}${a} { ${s.join(" ")} }` : `${n}${a}`));
const query = fc.oneof(
  fc.array(top, { minLength: 1, maxLength: 3 }).map((t) => `query Q($v: Int) { ${t.join(" ")} }`),
  fc.string({ maxLength: 60 }),
  fc.constantFrom("{", "}", "query { __schema { types { name } } }", "subscription { x }", "{ a: prompts { data { id } } a: prompts { data { latestVersion } } }"),
);
const variables = fc.oneof(fc.constant(undefined), fc.dictionary(fc.constantFrom("v", "x"), fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null)), { maxKeys: 2 }));

describe("/v1/graphql property", () => {
  it("never answers 5xx to generated queries, by POST or GET", async () => {
    await fc.assert(
      fc.asyncProperty(query, variables, fc.boolean(), fc.constantFrom("viewer", "developer", "supportViewer") as fc.Arbitrary<keyof typeof f.keys>, async (q, v, get, who) => {
        const res = get
          ? await f.call("GET", `/v1/graphql?query=${encodeURIComponent(q)}${v ? `&variables=${encodeURIComponent(JSON.stringify(v))}` : ""}`, f.keys[who])
          : await f.call("POST", "/v1/graphql", f.keys[who], { query: q, ...(v ? { variables: v } : {}) });
        expect(res.status, `${q} ${JSON.stringify(res.json).slice(0, 400)}`).toBeLessThan(500);
        if (res.status === 400) expect(res.json.errors?.[0]?.message ?? res.json.error?.message).toEqual(expect.any(String));
        for (const e of res.json.errors ?? []) expect(e.extensions.code, JSON.stringify(e)).not.toBe("internal_error");
      }),
      { numRuns: 200 },
    );
  });

  it("never answers 5xx to valid queries with arbitrary argument values, and resolves them", async () => {
    const shapes: [string, string][] = [
      ["usage", "rows { feature requests costUsd }"],
      ["requests", "data { requestId prompt { id } } hasMore"],
      ["evaluations", "data { requestId scoreMean }"],
      ["prompts", "data { id versions { data { version } } comparison { versions { version } } }"],
      ["prompt", "id labels { label } version(version: 1) { note }"],
      ["cacheQuality", "audited byFeature { feature }"],
    ];
    const value = fc.oneof(fc.integer({ min: -3, max: 300 }), fc.string({ maxLength: 10 }), fc.constantFrom("2026-01-01T00:00:00Z", "greeting", "support", "1,2", null));
    let resolved = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...shapes), fc.dictionary(fc.constantFrom("limit", "cursor", "from", "to", "feature", "id", "since", "minSamples"), value, { maxKeys: 3 }), async ([field, sel], vars) => {
        const allowed: Record<string, string[]> = { usage: ["from", "to"], requests: ["limit", "cursor", "from", "to", "feature"], evaluations: ["limit", "cursor", "from", "to", "feature"], prompts: ["limit", "cursor", "feature"], prompt: ["id"], cacheQuality: ["feature", "since", "minSamples"] };
        const names = (allowed[field] ?? []).filter((n) => n in vars || n === "id");
        const types: Record<string, string> = { limit: "Int", minSamples: "Int", id: "ID!" };
        const decl = names.map((n) => `$${n}: ${types[n] ?? "String"}`).join(", ");
        const q = `query${decl ? `(${decl})` : ""} { ${field}${names.length ? `(${names.map((n) => `${n}: $${n}`).join(", ")})` : ""} { ${sel} } }`;
        const v = Object.fromEntries(names.map((n) => [n, n === "id" ? String(vars[n] ?? "greeting") : vars[n]]));
        const res = await f.call("POST", "/v1/graphql", f.keys.viewer, { query: q, variables: v });
        expect(res.status, `${q} ${JSON.stringify(v)} ${JSON.stringify(res.json).slice(0, 300)}`).toBeLessThan(500);
        for (const e of res.json.errors ?? []) expect(e.extensions.code).not.toBe("internal_error");
        if (res.status === 200 && !res.json.errors) resolved++;
      }),
      { numRuns: 150 },
    );
    expect(resolved).toBeGreaterThan(15);
  });

  it("never answers 5xx to arbitrary bodies and parameters", async () => {
    const body = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ query: fc.oneof(fc.string(), fc.integer()), variables: fc.jsonValue({ maxDepth: 2 }), operationName: fc.oneof(fc.string(), fc.constant(null)), extensions: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }));
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await f.call("POST", "/v1/graphql", f.keys.viewer, b);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
  });
});
