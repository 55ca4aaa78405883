/**
 * /v1/graphql against its REST twins over one database filled by the real evaluator consumer:
 * the same answers per role (masking and feature scope included), the limits, and persisted
 * queries.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { encryptText, generateKeySpec, keyringFromEnv, type Keyring } from "../../../../shared/crypto/envelope";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { usageEvent } from "../../../evaluator/src/testing/events";
import { sha256Hex } from "../graphql/persisted";
import { GREETING, promptsFixture } from "../prompts/testing";
import { ingest } from "../usage/test-fixtures";
import { graphqlRoutes } from "./graphql";
import { promptsRoutes } from "./prompts";
import { requestListRoutes } from "./request-lists";
import { usageRoutes } from "./usage";

vi.mock("cloudflare:workers", () => ({ DurableObject: class {}, env: {} }));

const NOW = Date.now();
const SPEC = generateKeySpec("k1");
let f: Awaited<ReturnType<typeof promptsFixture>>;
let keyring: Keyring;

const ev = (requestId: string, over: Partial<UsageEvent>): UsageEvent =>
  usageEvent({ requestId, tenantId: "ten_acme", completedAt: NOW - 60_000, receivedAt: NOW - 61_000, ...over });

beforeAll(async () => {
  f = await promptsFixture([usageRoutes, requestListRoutes, promptsRoutes, graphqlRoutes], { CONTENT_ENCRYPTION_KEYS: SPEC });
  keyring = await keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: SPEC });
  await f.call("POST", "/v1/prompts", f.keys.developer, { ...GREETING, feature: "support" });
  await f.call("POST", "/v1/prompts/greeting/versions", f.keys.developer, { messages: GREETING.messages, variables: GREETING.variables, note: "v2" });
  await ingest(
    f.db,
    [
      ev("r1", { feature: "support", prompt: { id: "greeting", version: 1 }, latencyMs: 400 }),
      ev("r2", { feature: "support", prompt: { id: "greeting", version: 2 }, latencyMs: 200, decisions: { route: { tier: "frontier", escalate: true } } }),
      ev("r3", { feature: "support", prompt: { id: "greeting", version: 2 }, latencyMs: 300, decisions: { route: { tier: "frontier" }, cascade: { accepted: false } } }),
      ev("r3:draft", { feature: "support", prompt: { id: "greeting", version: 2 }, model: "small-sim", tier: "small", decisions: { cascadeDraftOf: "r3" } }),
      ev("b1", { feature: "billing", status: 502, errorCode: "upstream_error" }),
    ],
    { seal: (text) => encryptText(text, keyring) },
  );
  await f.db
    .prepare("INSERT INTO evaluations (request_id, tenant_id, feature, model, tier, status, score_mean, checks_json, judges_json, panel_version, completed_at, evaluated_at) VALUES ('r2', 'ten_acme', 'support', 'frontier-sim', 'frontier', 'ok', 4, '[]', '[]', 'p1', ?1, ?1)")
    .bind(NOW - 60_000)
    .run();
});

const gql = (key: string, query: string, variables?: Record<string, unknown>) => f.call("POST", "/v1/graphql", key, { query, ...(variables ? { variables } : {}) });
const data = <T>(r: Awaited<ReturnType<typeof gql>>) => r.json["data"] as T;

const TRACE_FIELDS = "requestId receivedAt completedAt status errorCode keyId feature endUser model tier upstream latencyMs ttftMs stages attempts decisions cache tokens { prompt completion cached reasoning } cost { usd priceSource counterfactualUsd avoidedUsd judgeUsd draftUsd shadowUsd } evaluation content ledgerIngestedAt";

describe("parity with REST, role by role", () => {
  it("answers request(id) exactly as GET /v1/requests/{id}, masked by role and scoped by feature", async () => {
    for (const who of ["developer", "viewer", "contentDev", "admin", "supportViewer"] as const) {
      for (const id of ["r1", "b1"]) {
        const rest = await f.call("GET", `/v1/requests/${id}`, f.keys[who]);
        const res = await gql(f.keys[who], `query($id: ID!) { request(id: $id) { ${TRACE_FIELDS} } }`, { id });
        const trace = data<{ request: Record<string, unknown> | null }>(res).request;
        if (rest.status === 404) {
          expect(trace, `${who} ${id}`).toBeNull();
          continue;
        }
        expect(rest.status).toBe(200);
        const { content, ...restOther } = rest.json as Record<string, unknown>;
        expect(trace, `${who} ${id}`).toEqual({ ...restOther, content: content ?? null });
      }
    }
    const viewer = await gql(f.keys.viewer, `{ request(id: "r1") { content } }`);
    expect(data<{ request: { content: unknown } }>(viewer).request.content).toBeNull();
    const decrypted = await gql(f.keys.contentDev, `{ request(id: "r1") { content } }`);
    expect(JSON.stringify(decrypted.json)).toContain("refund window");
    const redacted = await gql(f.keys.developer, `{ request(id: "r1") { content } }`);
    expect(JSON.stringify(redacted.json)).not.toContain("refund window");
  });

  it("answers usage, requests, evaluations and prompts as their REST routes do", async () => {
    for (const who of ["viewer", "supportViewer"] as const) {
      const restUsage = await f.call("GET", `/v1/usage?group_by=feature&from=${NOW - 86_400_000}&to=${NOW}`, f.keys[who]);
      const usage = await gql(f.keys[who], `query($from: String, $to: String) { usage(from: $from, to: $to, groupBy: [feature]) { rows { feature requests errors costUsd } } }`, { from: String(NOW - 86_400_000), to: String(NOW) });
      const pick = (rows: { feature: string | null; requests: number; errors: number; costUsd: number }[]) => rows.map(({ feature, requests, errors, costUsd }) => ({ feature, requests, errors, costUsd }));
      expect(data<{ usage: { rows: never[] } }>(usage).usage.rows).toEqual(pick(restUsage.json["rows"] as never[]));

      const restList = await f.call("GET", "/v1/requests?limit=2", f.keys[who]);
      const list = await gql(f.keys[who], `{ requests(limit: 2) { data { requestId status prompt { id version } evaluation { status scoreMean } } hasMore nextCursor } }`);
      const restData = (restList.json["data"] as { requestId: string; status: number; prompt: unknown; evaluation: unknown }[]).map(({ requestId, status, prompt, evaluation }) => ({ requestId, status, prompt, evaluation }));
      expect(data<{ requests: unknown }>(list).requests).toEqual({ data: restData, hasMore: restList.json["has_more"], nextCursor: restList.json["next_cursor"] });

      const restPrompts = await f.call("GET", "/v1/prompts", f.keys[who]);
      const prompts = await gql(f.keys[who], `{ prompts { data { id latestVersion feature } } }`);
      expect(data<{ prompts: { data: unknown[] } }>(prompts).prompts.data).toEqual((restPrompts.json["data"] as { id: string; latestVersion: number; feature: string }[]).map(({ id, latestVersion, feature }) => ({ id, latestVersion, feature })));
    }
    const billingOnly = await gql(f.keys.supportViewer, `{ requests(feature: "billing") { data { requestId } } }`);
    expect(billingOnly.json.errors?.[0]).toMatchObject({ extensions: { code: "forbidden", status: 403 } });
    const evaluations = await gql(f.keys.viewer, `{ evaluations { data { requestId scoreMean } } }`);
    expect(data<{ evaluations: unknown }>(evaluations).evaluations).toEqual({ data: [{ requestId: "r2", scoreMean: 4 }] });
  });

  it("lists the trace explorer's requests newest first without drafts, filtered and paged", async () => {
    const all = await f.call("GET", "/v1/requests?limit=100", f.keys.viewer);
    expect((all.json["data"] as { requestId: string }[]).map((r) => r.requestId).sort()).toEqual(["b1", "r1", "r2", "r3"]);
    const errors = await f.call("GET", "/v1/requests?status=error", f.keys.viewer);
    expect((errors.json["data"] as { requestId: string }[]).map((r) => r.requestId)).toEqual(["b1"]);
    const byPrompt = await f.call("GET", "/v1/requests?promptId=greeting&limit=2", f.keys.viewer);
    const next = await f.call("GET", `/v1/requests?promptId=greeting&limit=2&cursor=${byPrompt.json["next_cursor"] as string}`, f.keys.viewer);
    expect([...(byPrompt.json["data"] as { requestId: string }[]), ...(next.json["data"] as { requestId: string }[])].map((r) => r.requestId).sort()).toEqual(["r1", "r2", "r3"]);
    expect(next.json["has_more"]).toBe(false);
    expect((await f.call("GET", "/v1/requests", f.keys.service)).status).toBe(403);
  });
});

describe("prompt version comparison", () => {
  it("compares versions on requests, cost (drafts included), latency, judge score and escalation", async () => {
    const res = await f.call("GET", "/v1/prompts/greeting/compare", f.keys.viewer);
    expect(res.status).toBe(200);
    const [v2, v1] = res.json["versions"] as Record<string, unknown>[];
    expect(v1).toMatchObject({ version: 1, requests: 1, escalated: 0, escalationRate: 0, judged: 0, judgeScoreMean: null, latencyMs: { mean: 400, p50: 400, p95: 400 } });
    expect(v2).toMatchObject({ version: 2, requests: 2, escalated: 2, escalationRate: 1, judged: 1, judgeScoreMean: 4, latencyMs: { mean: 250, p50: 200, p95: 300 } });
    // Two frontier answers plus the rejected small-tier draft of r3.
    expect(v2?.["costUsd"]).toBeGreaterThan(2 * (v1?.["costUsd"] as number));
    expect(v2?.["costPerRequestUsd"]).toBeCloseTo((v2?.["costUsd"] as number) / 2, 8);
    const gq = await gql(f.keys.viewer, `{ prompt(id: "greeting") { comparison(versions: [1]) { versions { version requests costUsd } } version(version: 2) { note } } }`);
    expect(data<unknown>(gq)).toEqual({ prompt: { comparison: { versions: [{ version: 1, requests: 1, costUsd: v1?.["costUsd"] }] }, version: { note: "v2" } } });
    // The prompt belongs to "support": a key limited to it compares the same rows; the other tenant sees nothing.
    expect((await f.call("GET", "/v1/prompts/greeting/compare", f.keys.supportViewer)).json["versions"]).toEqual(res.json["versions"]);
    expect((await f.call("GET", "/v1/prompts/greeting/compare", f.keys.otherTenant)).status).toBe(404);
    expect((await f.call("GET", "/v1/prompts/greeting/compare?versions=9", f.keys.viewer)).status).toBe(404);
    expect((await f.call("GET", "/v1/prompts/greeting/compare?from=2020-01-01T00:00:00Z", f.keys.viewer)).status).toBe(400);
  });
});

describe("limits", () => {
  it("refuses queries too deep or too complex with a 400, and pages over 100 as a field error", async () => {
    const deep = await gql(f.keys.viewer, `{ prompts { data { versions { data { variables { name } } } } } prompt(id: "greeting") { versions { data { messages { role } } } } }`);
    expect(deep.status).toBe(200);
    const tooComplex = await gql(f.keys.viewer, `{ prompts(limit: 100) { data { versions(limit: 100) { data { version } } } } }`);
    expect([tooComplex.status, tooComplex.json.errors?.[0]?.extensions.code, tooComplex.json.error?.code]).toEqual([400, "QUERY_TOO_COMPLEX", "QUERY_TOO_COMPLEX"]);
    const viaVariable = await gql(f.keys.viewer, `query($n: Int) { prompts(limit: $n) { data { versions(limit: $n) { data { version } } } } }`, { n: 100 });
    expect(viaVariable.status).toBe(400);
    const frag = "fragment F on Prompt { versions { data { version } } }";
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: prompts(limit: 100) { data { id ...F } }`).join(" ");
    expect((await gql(f.keys.viewer, `{ ${aliases} } ${frag}`)).status).toBe(400);
    const big = await gql(f.keys.viewer, `{ requests(limit: 101) { data { requestId } } }`);
    expect(big.json.errors?.[0]).toMatchObject({ path: ["requests"], extensions: { code: "invalid_request", status: 400, param: "limit" } });
    const bad = await gql(f.keys.viewer, `{ nope }`);
    expect([bad.status, bad.json.error?.code]).toEqual([400, "GRAPHQL_VALIDATION_FAILED"]);
    expect((await gql(f.keys.viewer, `{ usage(`)).status).toBe(400);
    expect((await gql(f.keys.viewer, `mutation { x }`)).status).toBe(400);
    expect((await f.call("POST", "/v1/graphql", f.keys.service, { query: "{ routerRollout { effectiveMode } }" })).status).toBe(403);
  });

  it("serves introspection for tooling", async () => {
    const res = await gql(f.keys.viewer, `{ __schema { queryType { name } types { name fields { name type { name kind ofType { name kind ofType { name kind } } } } } } }`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json)).toContain("PromptComparison");
  });
});

describe("persisted queries", () => {
  it("follows APQ: unknown hash, then registration, then GET by hash alone; a wrong hash is a 400", async () => {
    const query = `{ prompt(id: "greeting") { id latestVersion } }`;
    const hash = await sha256Hex(query);
    const ext = { persistedQuery: { version: 1, sha256Hash: hash } };
    const unknown = await f.call("POST", "/v1/graphql", f.keys.viewer, { extensions: ext });
    expect([unknown.status, unknown.json.errors?.[0]?.extensions.code]).toEqual([200, "PERSISTED_QUERY_NOT_FOUND"]);
    const registered = await f.call("POST", "/v1/graphql", f.keys.viewer, { query, extensions: ext });
    expect(registered.json["data"]).toEqual({ prompt: { id: "greeting", latestVersion: 2 } });
    const byGet = await f.call("GET", `/v1/graphql?extensions=${encodeURIComponent(JSON.stringify(ext))}`, f.keys.viewer);
    expect(byGet.json["data"]).toEqual({ prompt: { id: "greeting", latestVersion: 2 } });
    const otherTenant = await f.call("GET", `/v1/graphql?extensions=${encodeURIComponent(JSON.stringify(ext))}`, f.keys.otherTenant);
    expect(otherTenant.json.errors?.[0]?.extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    const mismatch = await f.call("POST", "/v1/graphql", f.keys.viewer, { query: `{ routerRollout { effectiveMode } }`, extensions: ext });
    expect([mismatch.status, mismatch.json.error?.code]).toEqual([400, "PERSISTED_QUERY_HASH_MISMATCH"]);
    const getQuery = await f.call("GET", `/v1/graphql?query=${encodeURIComponent("{ routerRollout { effectiveMode } }")}`, f.keys.viewer);
    expect(getQuery.json["data"]).toEqual({ routerRollout: { effectiveMode: expect.any(String) } });
    expect((await f.call("GET", "/v1/graphql?variables=%7Bnope", f.keys.viewer)).status).toBe(400);
  });
});
