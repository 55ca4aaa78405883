/**
 * The query limits on their own: what a dashboard or a tool sends passes, and the shapes that
 * make validation or pricing blow up (same-named fields merged by the hundred, fragments that
 * double at every level) are refused by checks whose own work is bounded.
 */
import { getIntrospectionQuery, getOperationAST, parse, specifiedRules, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { limitViolation, MAX_COMPLEXITY, MAX_FIELD_NODES, MAX_FRAGMENTS, MAX_QUERY_TOKENS, MAX_SAME_NAME, sizeViolation } from "./limits";
import { graphqlSchema } from "./run-query";

const schema = graphqlSchema();

/** Both checks as run-query applies them: size before validation, cost after it. */
function verdict(query: string, variables: Record<string, unknown> = {}): string | null {
  const doc = parse(query, { maxTokens: MAX_QUERY_TOKENS });
  const size = sizeViolation(doc);
  if (size) return size;
  expect(validate(schema, doc, specifiedRules)).toEqual([]);
  const op = getOperationAST(doc);
  if (!op) throw new Error("no operation");
  return limitViolation(schema, doc, op, variables);
}

const doubling = (n: number) => {
  let frags = "";
  for (let i = 0; i < n; i++) frags += `fragment F${i} on Prompt { id ...F${i + 1} a${i}: description ...F${i + 1} } `;
  return `{ prompt(id: "p") { ...F0 } } ${frags} fragment F${n} on Prompt { latestVersion }`;
};

describe("graphql limits", () => {
  it("passes ordinary queries and the full introspection query", () => {
    expect(verdict(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }))).toBeNull();
    expect(verdict(`{ usage(groupBy: [day, feature]) { rows { day feature requests costUsd } } requests(limit: 50) { data { requestId status prompt { id version } } hasMore nextCursor } }`)).toBeNull();
    const eight = Array.from({ length: MAX_SAME_NAME }, () => "...L").join(" ");
    expect(verdict(`{ prompt(id: "p") { ${eight} } } fragment L on Prompt { id labels { label } }`)).toBeNull();
  });

  it("prices a page of nested lists by the reads it would make, literal or variable", () => {
    expect(verdict(`{ prompts(limit: 10) { data { versions(limit: 10) { data { version } } } } }`)).toBeNull();
    expect(verdict(`{ prompts(limit: 100) { data { versions(limit: 100) { data { version } } } } }`)).toMatch(/complexity is \d+/);
    expect(verdict(`query($n: Int) { prompts(limit: $n) { data { versions(limit: $n) { data { version } } } } }`, { n: 100 })).toMatch(/complexity/);
    expect(verdict(`query($n: Int) { prompts(limit: $n) { data { versions(limit: $n) { data { version } } } } }`, { n: 5 })).toBeNull();
  });

  it("refuses a query deeper than 8 levels; introspection alone may nest to 16", () => {
    const types = (n: number) => `__schema { types { fields { type { ${"ofType { ".repeat(n)}name${" }".repeat(n)} } } } }`;
    expect(verdict(`{ prompts { data { id } } ${types(3)} }`)).toBeNull();
    expect(verdict(`{ prompts { data { id } } ${types(4)} }`)).toMatch(/9 levels deep; at most 8/);
    expect(verdict(`{ ${types(4)} }`)).toBeNull();
    expect(verdict(`{ ${types(12)} }`)).toMatch(/17 levels deep; at most 16/);
  });

  it("prices fragments that double at every level in linear time", () => {
    // F0 spreads F1 twice, F1 spreads F2 twice...: 2^18 copies of the leaf. The size check
    // refuses it first, after a bounded number of visits; priced directly, it is refused
    // without expanding the copies.
    const doc = parse(doubling(18));
    expect(sizeViolation(doc)).toMatch(/expand to more than 20000 selections/);
    const started = performance.now();
    const message = limitViolation(schema, doc, getOperationAST(doc) as never, {});
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(Number(/complexity is (\d+)/.exec(message ?? "")?.[1])).toBeGreaterThan(2 ** 18);
  });

  it("refuses same-named fields merged by the dozen, and oversized documents, before validation", () => {
    const many = (n: number) => `{ prompt(id: "p") { ${"labels { label } ".repeat(n)} } }`;
    expect(verdict(many(MAX_SAME_NAME))).toBeNull();
    expect(verdict(many(MAX_SAME_NAME + 1))).toMatch(/"labels" is selected 9 times/);
    const fragments = Array.from({ length: 10 }, (_, i) => `fragment F${i} on Prompt { labels { label } }`).join(" ");
    expect(verdict(`{ prompt(id: "p") { ${Array.from({ length: 10 }, (_, i) => `...F${i}`).join(" ")} } } ${fragments}`)).toMatch(/"labels" is selected/);
    // Sub-selections of same-named fields are merged too: 3 x 3 `data` under one `versions`.
    const nested = `{ prompt(id: "p") { ${`versions { ${"data { version } ".repeat(3)} } `.repeat(3)} } }`;
    expect(verdict(nested)).toMatch(/"data" is selected 9 times/);
    expect(verdict(`{ prompt(id: "p") { ${Array.from({ length: MAX_FIELD_NODES }, (_, i) => `d${i}: description`).join(" ")} } }`)).toMatch(/201 fields; at most 200/);
    const frags = Array.from({ length: MAX_FRAGMENTS + 1 }, (_, i) => `fragment G${i} on Prompt { id }`).join(" ");
    expect(verdict(`{ prompt(id: "p") { ...G0 } } ${frags}`)).toMatch(/fragments; at most 20/);
    expect(MAX_COMPLEXITY).toBe(2_500);
  });
});
