/** /v1/prompts over the real migrations, auth middleware and route policies. */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { verifyAuditChain } from "../../../../shared/audit/verify";
import { GREETING, promptsFixture } from "../prompts/testing";
import { promptsRoutes } from "./prompts";

vi.mock("cloudflare:workers", () => ({ DurableObject: class {}, env: {} }));

let f: Awaited<ReturnType<typeof promptsFixture>>;
beforeEach(async () => {
  f = await promptsFixture([promptsRoutes]);
});

const V2 = { messages: [{ role: "user", content: "Customer {{customer}} asks about {{product}}: {{question}}" }], variables: [{ name: "customer" }, { name: "product" }, { name: "question" }], note: "shorter", labels: ["staging"] };

describe("creating and reading prompts", () => {
  it("creates version 1 with its labels; every reader role sees it, service keys do not", async () => {
    const created = await f.call("POST", "/v1/prompts", f.keys.developer, GREETING);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: "greeting", latestVersion: 1, feature: null, labels: [{ label: "production", version: 1, previousVersion: null }] });
    for (const key of [f.keys.viewer, f.keys.admin, f.keys.developer]) {
      const got = await f.call("GET", "/v1/prompts/greeting", key);
      expect(got.status).toBe(200);
      expect(got.json["id"]).toBe("greeting");
    }
    expect((await f.call("GET", "/v1/prompts/greeting", f.keys.service)).status).toBe(403);
    expect((await f.call("POST", "/v1/prompts", f.keys.viewer, { ...GREETING, id: "x" })).status).toBe(403);
    const version = await f.call("GET", "/v1/prompts/greeting/versions/1", f.keys.viewer);
    expect(version.json).toMatchObject({ promptId: "greeting", version: 1, labels: ["production"], messages: GREETING.messages });
    expect((version.json["variables"] as { name: string; required: boolean }[]).map((v) => [v.name, v.required])).toEqual([["product", true], ["tone", false], ["customer", true], ["question", true]]);
  });

  it("numbers versions densely, lists them newest first in pages, and lists prompts in pages", async () => {
    await f.call("POST", "/v1/prompts", f.keys.developer, GREETING);
    const v2 = await f.call("POST", "/v1/prompts/greeting/versions", f.keys.admin, V2);
    expect(v2.status).toBe(201);
    expect(v2.json).toMatchObject({ version: 2, labels: ["staging"], note: "shorter" });
    const page1 = await f.call("GET", "/v1/prompts/greeting/versions?limit=1", f.keys.viewer);
    expect(page1.json).toMatchObject({ object: "list", has_more: true, data: [{ version: 2 }] });
    const page2 = await f.call("GET", `/v1/prompts/greeting/versions?limit=1&cursor=${page1.json["next_cursor"] as string}`, f.keys.viewer);
    expect(page2.json).toMatchObject({ has_more: false, next_cursor: null, data: [{ version: 1, labels: ["production"] }] });
    for (const id of ["a-one", "b-two"]) await f.call("POST", "/v1/prompts", f.keys.developer, { ...GREETING, id, labels: [] });
    const list = await f.call("GET", "/v1/prompts?limit=2", f.keys.viewer);
    expect((list.json["data"] as { id: string }[]).map((p) => p.id)).toEqual(["a-one", "b-two"]);
    const rest = await f.call("GET", `/v1/prompts?limit=2&cursor=${list.json["next_cursor"] as string}`, f.keys.viewer);
    expect(rest.json).toMatchObject({ has_more: false, data: [{ id: "greeting", latestVersion: 2 }] });
  });

  it("renders a version or label with validated variables, without storing anything", async () => {
    await f.call("POST", "/v1/prompts", f.keys.developer, GREETING);
    const before = await f.snapshot();
    const r = await f.call("POST", "/v1/prompts/greeting/render", f.keys.developer, { variables: { product: "Lamps", customer: "Ada", question: "Is it on?" } });
    expect(r.json).toEqual({ promptId: "greeting", version: 1, label: "production", messages: [
      { role: "system", content: "You are a support agent for Lamps. Answer in a formal tone." },
      { role: "user", content: "Customer Ada asks: Is it on?" },
    ] });
    expect(await f.snapshot()).toBe(before);
  });
});

describe("labels: release and one-click rollback", () => {
  it("moves production to v2 and back, each move audited in the same write, the chain intact", async () => {
    await f.call("POST", "/v1/prompts", f.keys.developer, GREETING);
    await f.call("POST", "/v1/prompts/greeting/versions", f.keys.developer, V2);
    const up = await f.call("POST", "/v1/prompts/greeting/labels/production", f.keys.developer, { version: 2 });
    expect(up.json).toMatchObject({ promptId: "greeting", label: "production", version: 2, previousVersion: 1 });
    const back = await f.call("POST", "/v1/prompts/greeting/labels/production", f.keys.admin, { version: up.json["previousVersion"] });
    expect(back.json).toMatchObject({ version: 1, previousVersion: 2 });
    const same = await f.call("POST", "/v1/prompts/greeting/labels/production", f.keys.admin, { version: 1 });
    expect(same.status).toBe(200);
    const moves = (await f.db.prepare("SELECT actor, detail FROM audit_log WHERE action = 'prompt.label_moved' ORDER BY seq").all()).results;
    expect(moves.map((m) => JSON.parse(m["detail"] as string))).toEqual([{ label: "production", from: 1, to: 2 }, { label: "production", from: 2, to: 1 }]);
    expect((await verifyAuditChain(f.db, null)).ok).toBe(true);
    const render = await f.call("POST", "/v1/prompts/greeting/render", f.keys.developer, { label: "production", variables: { product: "P", customer: "C", question: "Q" } });
    expect(render.json["version"]).toBe(1);
  });

  it("creates a custom label, and refuses a label on a version that does not exist", async () => {
    await f.call("POST", "/v1/prompts", f.keys.developer, GREETING);
    expect((await f.call("POST", "/v1/prompts/greeting/labels/canary-eu", f.keys.developer, { version: 1 })).json).toMatchObject({ label: "canary-eu", version: 1, previousVersion: null });
    const before = await f.snapshot();
    const bad = await f.call("POST", "/v1/prompts/greeting/labels/production", f.keys.developer, { version: 7 });
    expect([bad.status, bad.json.error?.code, bad.json.error?.param]).toEqual([404, "prompt_version_not_found", "version"]);
    expect((await f.call("POST", "/v1/prompts/greeting/labels/Bad Label", f.keys.developer, { version: 1 })).status).toBe(400);
    expect(await f.snapshot()).toBe(before);
  });
});

describe("clear 4xx errors that write nothing", () => {
  it("names the fault: duplicate id, bad template, PII in a template, unknown prompt, version, label or variable", async () => {
    await f.call("POST", "/v1/prompts", f.keys.developer, GREETING);
    const before = await f.snapshot();
    const cases: [string, string, unknown, number, string | null][] = [
      ["POST", "/v1/prompts", GREETING, 409, "prompt_exists"],
      ["POST", "/v1/prompts", { ...GREETING, id: "t2", messages: [{ role: "user", content: "Hi {{nme}}" }], variables: [{ name: "name" }] }, 400, "invalid_prompt_template"],
      ["POST", "/v1/prompts", { ...GREETING, id: "t3", messages: [{ role: "system", content: "Escalate to jane.roe@example.com if {{x}} fails." }], variables: [{ name: "x" }] }, 400, "invalid_prompt_template"],
      ["POST", "/v1/prompts", { ...GREETING, id: "t4", extra: 1 }, 400, "invalid_request"],
      ["GET", "/v1/prompts/nope", undefined, 404, "prompt_not_found"],
      ["GET", "/v1/prompts/greeting/versions/9", undefined, 404, "prompt_version_not_found"],
      ["POST", "/v1/prompts/greeting/render", { label: "staging", variables: {} }, 404, "prompt_label_not_found"],
      ["POST", "/v1/prompts/greeting/render", { variables: { product: "P", customer: "C" } }, 400, "invalid_prompt_variables"],
      ["POST", "/v1/prompts/greeting/render", { variables: { product: "P", customer: "C", question: "Q", extra: "x" } }, 400, "invalid_prompt_variables"],
      ["POST", "/v1/prompts/greeting/versions", { messages: [] }, 400, "invalid_request"],
      ["GET", "/v1/prompts?cursor=bm90LWEtY3Vyc29y", undefined, 400, "invalid_request"],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await f.call(method, path, f.keys.developer, body);
      expect([path, res.status, res.json.error?.code]).toEqual([path, status, code]);
    }
    const pii = await f.call("POST", "/v1/prompts", f.keys.developer, cases[2]?.[2]);
    expect(pii.json.error?.message).toMatch(/EMAIL/);
    expect(pii.json.error?.message).not.toContain("jane.roe");
    const missing = await f.call("POST", "/v1/prompts/greeting/render", f.keys.developer, cases[7]?.[2]);
    expect(missing.json.error).toMatchObject({ param: "variables.question", message: expect.stringContaining("missing required variable(s) question") });
    expect(await f.snapshot()).toBe(before);
  });
});

describe("scoping", () => {
  it("keeps tenants apart: another tenant's prompt is a 404 and absent from lists", async () => {
    await f.call("POST", "/v1/prompts", f.keys.developer, GREETING);
    expect((await f.call("GET", "/v1/prompts/greeting", f.keys.otherTenant)).status).toBe(404);
    expect((await f.call("GET", "/v1/prompts", f.keys.otherTenant)).json["data"]).toEqual([]);
    expect((await f.call("POST", "/v1/prompts/greeting/labels/production", f.keys.otherTenant, { version: 1 })).status).toBe(404);
    expect((await f.call("POST", "/v1/prompts", f.keys.otherTenant, GREETING)).status).toBe(201);
  });

  it("limits a feature-restricted key to prompts of its features", async () => {
    await f.call("POST", "/v1/prompts", f.keys.developer, GREETING);
    await f.call("POST", "/v1/prompts", f.keys.developer, { ...GREETING, id: "billing-bot", feature: "billing" });
    const tenantWide = await f.call("POST", "/v1/prompts", f.keys.supportDev, { ...GREETING, id: "mine" });
    expect([tenantWide.status, tenantWide.json.error?.code]).toEqual([403, "feature_not_allowed"]);
    expect((await f.call("POST", "/v1/prompts", f.keys.supportDev, { ...GREETING, id: "mine", feature: "support" })).status).toBe(201);
    const seen = await f.call("GET", "/v1/prompts", f.keys.supportViewer);
    expect((seen.json["data"] as { id: string }[]).map((p) => p.id)).toEqual(["mine"]);
    for (const id of ["greeting", "billing-bot"]) {
      expect((await f.call("GET", `/v1/prompts/${id}`, f.keys.supportViewer)).status).toBe(404);
      expect((await f.call("POST", `/v1/prompts/${id}/labels/production`, f.keys.supportDev, { version: 1 })).status).toBe(404);
    }
    expect((await f.call("GET", "/v1/prompts?feature=billing", f.keys.supportViewer)).json["data"]).toEqual([]);
    expect((await f.call("GET", "/v1/prompts?feature=billing", f.keys.viewer)).json["data"]).toHaveLength(1);
  });
});
