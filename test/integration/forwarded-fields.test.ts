/**
 * Issue 13 item 3 through the whole stack (workerd, the GPU simulator as the OpenAI-compatible
 * upstream, the evaluator writing the ledger): random requests with PII planted in every field
 * reach the simulator without it; strict tenants get a 400 naming an unknown field; and an end
 * user is only ever a per-tenant pseudonym upstream, in the ledger and in the request trace.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isEndUserPseudonym } from "../../shared/end-user";
import { ChatCompletionResponseSchema } from "../../shared/schemas/openai-chat";
import { buildChatRequest } from "../../workers/gateway/src/guardrails/testing/chat-request-builder";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";
import { waitFor } from "../harness/wait-for";

let stack: Stack;
let key: string;
let tenantId: string;
const fast = { latency: { ttftMs: 1, tpotMs: 0, jitter: 0 }, defaultOutputTokens: 8 };

beforeAll(async () => {
  stack = await startStack({
    evaluator: true,
    // No judges: the tests count the simulator's requests, and judge calls would land there too.
    evaluatorVars: { JUDGES: "[]" },
    vars: { END_USER_HASH_KEY: "integration-end-user-key-of-32-characters-or-more" },
    simulator: { config: { models: [{ id: "small-sim", ...fast }, { id: "frontier-sim", ...fast }] } },
  });
  ({ key, tenantId } = await seedKey(stack, { role: "developer" }));
});
afterAll(async () => stack?.close());

const chat = (k: string, body: unknown, headers: Record<string, string> = {}) =>
  stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(k, { "cache-control": "no-store", ...headers }), body: JSON.stringify(body) });

describe("every field that reaches an upstream passes the policy (through workerd)", () => {
  it("no planted PII value reaches the simulator, and the client gets a well-formed answer", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.gen().map((g) => buildChatRequest(g, { parts: ["text", "image_url", "input_audio", "file", "refusal"], tools: true })),
        async ({ request, planted }) => {
          stack.sim.reset();
          const res = await chat(key, { ...request, model: "small-sim" });
          expect(res.status).toBe(200);
          ChatCompletionResponseSchema.parse(await res.json());
          const seen = JSON.stringify(stack.sim.requests().map((r) => r.body));
          expect(stack.sim.requests().length).toBeGreaterThan(0);
          for (const value of planted) expect(seen).not.toContain(value);
        },
      ),
      { numRuns: 8, seed: 31, endOnFailure: true },
    );
  });

  it("a strict tenant gets a 400 unknown_parameter naming the field; the upstream is not called", async () => {
    const t = await seedKey(stack, { name: "strict-fields" });
    const admin = await seedKey(stack, { role: "admin", tenantId: t.tenantId });
    const put = await stack.fetch(`/admin/v1/tenants/${t.tenantId}/settings`, { method: "PUT", headers: bearer(admin.key), body: JSON.stringify({ guardrails: { strictFields: true } }) });
    expect(put.status).toBe(200);
    stack.sim.reset();
    const res = await chat(t.key, { model: "small-sim", messages: [{ role: "user", content: "hello", x_trace: "123-45-6780" }] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string; param: string } }).error).toMatchObject({ code: "unknown_parameter", param: "messages.0.x_trace" });
    expect(stack.sim.requests()).toHaveLength(0);
    // The same request from a lenient tenant goes through with the field dropped.
    const ok = await chat(key, { model: "small-sim", messages: [{ role: "user", content: "hello", x_trace: "123-45-6780" }] });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-guardrails")).toMatch(/fields=drop\(1\)/);
    expect(JSON.stringify(stack.sim.requests().map((r) => r.body))).not.toContain("x_trace");
  });
});

describe("end users are pseudonyms everywhere", () => {
  const USER = "jane.doe@example.com";

  it("upstream, ledger and request trace hold the per-tenant pseudonym, never the user's value; answers still restore", async () => {
    stack.sim.reset();
    const res = await chat(key, { model: "small-sim", user: USER, messages: [{ role: "user", content: `ECHO: write to ${USER}` }] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe(`write to ${USER}`);
    const upstreamUser = (stack.sim.requests()[0]?.body as { user?: string }).user;
    expect(isEndUserPseudonym(upstreamUser)).toBe(true);

    const id = res.headers.get("x-request-id") as string;
    const row = await waitFor(async () => (await stack.db.prepare("SELECT * FROM usage_ledger WHERE request_id = ?1").bind(id).first<Record<string, unknown>>()) ?? null, 20_000, "the ledger row");
    expect(row.end_user).toBe(upstreamUser);
    expect(JSON.stringify(row)).not.toContain("jane.doe");
    const traces = await stack.db.prepare("SELECT * FROM request_traces WHERE request_id = ?1").bind(id).all();
    expect(JSON.stringify(traces.results)).not.toContain("jane.doe");

    const trace = await stack.fetch(`/v1/requests/${id}`, { headers: bearer(key) });
    expect(trace.status).toBe(200);
    const text = await trace.text();
    expect(text).not.toContain("jane.doe");
    expect((JSON.parse(text) as { endUser: string }).endUser).toBe(upstreamUser);
  });

  it("the same end user keeps one pseudonym within a tenant and gets another in a different tenant", async () => {
    const other = await seedKey(stack, { role: "developer", name: "other-tenant" });
    expect(other.tenantId).not.toBe(tenantId);
    const userOf = async (k: string) => {
      stack.sim.reset();
      expect((await chat(k, { model: "small-sim", user: USER, messages: [{ role: "user", content: "hi" }] })).status).toBe(200);
      return (stack.sim.requests()[0]?.body as { user?: string }).user;
    };
    const a = await userOf(key);
    expect(await userOf(key)).toBe(a);
    expect(await userOf(other.key)).not.toBe(a);
  });
});
