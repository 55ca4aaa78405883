/**
 * Prompt management end to end in workerd: a developer key authors a prompt, a service key chats
 * with it; the rendered text goes through redaction before the upstream, the answer is restored,
 * and the version lands in the trace, the ledger, the request list, the comparison and GraphQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";
import { waitFor } from "../harness/wait-for";

let stack: Stack;
let dev: string;
let service: string;
let viewer: string;
let supportViewer: string;
const EMAIL = "ada.lovelace@example.com";

beforeAll(async () => {
  stack = await startStack({ evaluator: true });
  const d = await seedKey(stack, { role: "developer", name: "prompts" });
  dev = d.key;
  service = (await seedKey(stack, { role: "service", tenantId: d.tenantId })).key;
  viewer = (await seedKey(stack, { role: "viewer", tenantId: d.tenantId })).key;
  supportViewer = (await seedKey(stack, { role: "viewer", tenantId: d.tenantId, features: ["support"] })).key;
});
afterAll(async () => stack?.close());

const sha256Hex = async (text: string) => Buffer.from(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))).toString("hex");

const call = (path: string, key: string, body?: unknown) =>
  stack.fetch(path, { method: body === undefined ? "GET" : "POST", headers: bearer(key, { "cache-control": "no-cache, no-store" }), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

describe("chat with a prompt", () => {
  it("renders before redaction, restores the answer, and records the version in trace, ledger and comparison", async () => {
    const created = await call("/v1/prompts", dev, {
      id: "echo-note",
      messages: [{ role: "user", content: "ECHO: note for {{who}}: {{note}}" }],
      variables: [{ name: "who" }, { name: "note" }],
      labels: ["production"],
    });
    expect(created.status).toBe(201);
    await call("/v1/prompts/echo-note/versions", dev, { messages: [{ role: "user", content: "ECHO: v2 {{who}} / {{note}}" }], variables: [{ name: "who" }, { name: "note" }], labels: ["staging"] });

    stack.sim.reset();
    const res = await call("/v1/chat/completions", service, { model: "frontier-sim", prompt: { id: "echo-note", variables: { who: "support", note: `mail ${EMAIL}` } } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe(`note for support: mail ${EMAIL}`);
    const upstream = JSON.stringify(stack.sim.requests().map((r) => r.body));
    expect(upstream).not.toContain(EMAIL);
    expect(upstream).toMatch(/<EMAIL_ADDRESS_1>/);
    expect(upstream).not.toContain("echo-note");
    expect(res.headers.get("server-timing")).toMatch(/prompt;dur=/);

    const staged = await call("/v1/chat/completions", service, { model: "frontier-sim", prompt: { id: "echo-note", label: "staging", variables: { who: "a", note: "b" } }, messages: [{ role: "user", content: "and one more" }] });
    expect(staged.status).toBe(200);
    const id = res.headers.get("x-request-id") as string;
    const trace = await waitFor(async () => {
      const r = await call(`/v1/requests/${id}`, dev);
      return r.status === 200 ? ((await r.json()) as { decisions: { prompt?: unknown } }) : null;
    });
    expect(trace.decisions.prompt).toEqual({ id: "echo-note", version: 1, label: "production" });
    const row = await waitFor(async () => (await stack.db.prepare("SELECT prompt_id, prompt_version FROM usage_ledger WHERE request_id = ?1").bind(staged.headers.get("x-request-id")).first()) ?? null);
    expect(row).toEqual({ prompt_id: "echo-note", prompt_version: 2 });

    const compare = (await (await call("/v1/prompts/echo-note/compare", dev)).json()) as { versions: { version: number; requests: number; costUsd: number }[] };
    expect(compare.versions.map((v) => [v.version, v.requests])).toEqual([[2, 1], [1, 1]]);
    expect(compare.versions[0]?.costUsd).toBeGreaterThan(0);
    const gql = await call("/v1/graphql", dev, { query: `{ requests(promptId: "echo-note") { data { prompt { id version } } } }` });
    expect(((await gql.json()) as { data: { requests: { data: unknown[] } } }).data.requests.data).toHaveLength(2);
  });

  it("answers 4xx for an unknown prompt, label or variables, and rolls back with one move", async () => {
    const bad = async (prompt: unknown, status: number, code: string) => {
      const r = await call("/v1/chat/completions", service, { model: "frontier-sim", prompt });
      const j = (await r.json()) as { error: { code: string } };
      expect([r.status, j.error.code]).toEqual([status, code]);
    };
    await bad({ id: "missing" }, 404, "prompt_not_found");
    await bad({ id: "echo-note", label: "canary" }, 404, "prompt_label_not_found");
    await bad({ id: "echo-note", version: 9, variables: { who: "a", note: "b" } }, 404, "prompt_version_not_found");
    await bad({ id: "echo-note", variables: { who: "a" } }, 400, "invalid_prompt_variables");
    await bad({ id: "echo-note", variables: { who: "a", note: "b", extra: "c" } }, 400, "invalid_prompt_variables");
    const noInput = await call("/v1/chat/completions", service, { model: "frontier-sim" });
    expect(noInput.status).toBe(400);

    await call("/v1/prompts/echo-note/labels/production", dev, { version: 2 });
    const v2 = await call("/v1/chat/completions", service, { model: "frontier-sim", prompt: { id: "echo-note", variables: { who: "x", note: "y" } } });
    expect(((await v2.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe("v2 x / y");
    const back = await call("/v1/prompts/echo-note/labels/production", dev, { version: 1 });
    expect(await back.json()).toMatchObject({ version: 1, previousVersion: 2 });
    const v1 = await call("/v1/chat/completions", service, { model: "frontier-sim", prompt: { id: "echo-note", variables: { who: "x", note: "y" } } });
    expect(((await v1.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe("note for x: y");
  });

  it("redacts a variable rendered into a system message, like any message text", async () => {
    await call("/v1/prompts", dev, {
      id: "sys-note",
      messages: [{ role: "system", content: "The customer's contact is {{contact}}." }, { role: "user", content: "ECHO: {{ask}}" }],
      variables: [{ name: "contact" }, { name: "ask" }],
      labels: ["production"],
    });
    stack.sim.reset();
    const res = await call("/v1/chat/completions", service, { model: "frontier-sim", prompt: { id: "sys-note", variables: { contact: EMAIL, ask: "hello" } } });
    expect(res.status).toBe(200);
    const upstream = JSON.stringify(stack.sim.requests().map((r) => r.body));
    expect(upstream).not.toContain(EMAIL);
    expect(upstream).toContain("The customer's contact is <EMAIL_ADDRESS_1>.");
    const stored = JSON.stringify((await stack.db.prepare("SELECT * FROM prompt_versions WHERE prompt_id = 'sys-note'").all()).results);
    expect(stored).not.toContain(EMAIL);
  });
});

describe("GraphQL in workerd", () => {
  const gql = (key: string, body: unknown) => call("/v1/graphql", key, body);

  it("masks content for viewer keys as REST does, and scopes a feature-limited key", async () => {
    const sent = await call("/v1/chat/completions", service, { model: "frontier-sim", messages: [{ role: "user", content: "ECHO: graphql masking" }] });
    const id = sent.headers.get("x-request-id") as string;
    const query = "query($id: ID!) { request(id: $id) { requestId status content } }";
    const asDev = await waitFor(async () => {
      const j = (await (await gql(dev, { query, variables: { id } })).json()) as { data: { request: { requestId: string; content: unknown } | null } };
      return j.data.request;
    });
    expect(asDev.requestId).toBe(id);
    const restViewer = await call(`/v1/requests/${id}`, viewer);
    expect(restViewer.status).toBe(200);
    expect(((await restViewer.json()) as { content?: unknown }).content ?? null).toBeNull();
    const asViewer = (await (await gql(viewer, { query, variables: { id } })).json()) as { data: { request: { content: unknown } } };
    expect(asViewer.data.request).toMatchObject({ requestId: id, content: null });
    const scoped = (await (await gql(supportViewer, { query, variables: { id } })).json()) as { data: { request: unknown } };
    expect(scoped.data.request).toBeNull();
    const forbidden = (await (await gql(supportViewer, { query: '{ requests(feature: "billing") { data { requestId } } }' })).json()) as { errors: { extensions: { code: string } }[] };
    expect(forbidden.errors[0]?.extensions.code).toBe("forbidden");
    expect((await gql(service, { query: "{ routerRollout { effectiveMode } }" })).status).toBe(403);
  });

  it("serves persisted queries by hash over GET, and refuses queries over the limits with a 400", async () => {
    const query = '{ prompt(id: "echo-note") { id latestVersion labels { label version } } }';
    const ext = { persistedQuery: { version: 1, sha256Hash: await sha256Hex(query) } };
    const byHash = `/v1/graphql?extensions=${encodeURIComponent(JSON.stringify(ext))}`;
    const first = (await (await call(byHash, viewer)).json()) as { errors: { extensions: { code: string } }[] };
    expect(first.errors[0]?.extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect((await gql(viewer, { query, extensions: ext })).status).toBe(200);
    const second = await call(byHash, viewer);
    expect(second.headers.get("cache-control")).toBe("private, no-store");
    expect(((await second.json()) as { data: { prompt: { id: string } } }).data.prompt.id).toBe("echo-note");

    const tooComplex = await gql(viewer, { query: "{ prompts(limit: 100) { data { versions(limit: 100) { data { version } } } } }" });
    expect([tooComplex.status, ((await tooComplex.json()) as { error: { code: string } }).error.code]).toEqual([400, "QUERY_TOO_COMPLEX"]);
    const merged = await gql(viewer, { query: `{ prompt(id: "echo-note") { ${"labels { label } ".repeat(50)} } }` });
    expect(merged.status).toBe(400);
    const syntax = await gql(viewer, { query: "{ prompts(" });
    expect([syntax.status, ((await syntax.json()) as { error: { code: string } }).error.code]).toEqual([400, "GRAPHQL_PARSE_FAILED"]);
  });
});
