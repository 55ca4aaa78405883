import SwaggerParser from "@apidevtools/swagger-parser";
import { Validator, type Schema } from "@cfworker/json-schema";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { ChatCompletionRequestSchema } from "../../../../shared/schemas/openai-chat";
import { ChatBodySchema } from "../prompts/chat-prompt";
import { ADMIN_MOUNT, adminRoutes } from "../routes/admin";
import { PutBudgetSchema } from "../routes/admin/schemas";
import { TenantSettingsInputSchema } from "../settings/tenant-settings";
import { buildOpenApi, openApiPath } from "./document";

vi.mock("cloudflare:workers", () => ({ DurableObject: class {}, env: {} }));

type Doc = { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> }; parameters?: Array<{ name: string; in: string }> }>> };
const doc = buildOpenApi() as unknown as Doc;

const requestSchema = (path: string, method: string): Schema => {
  const s = doc.paths[path]?.[method]?.requestBody?.content["application/json"]?.schema;
  if (!s) throw new Error(`${method} ${path} has no JSON body`);
  return s;
};
const accepts = (schema: Schema, value: unknown): boolean => new Validator(schema, "2020-12", false).validate(value).valid;

describe("GET /openapi.json", () => {
  it("describes every route the app registers (v1, admin, operations) and nothing it does not", async () => {
    const { createApp } = await import("../app");
    const registered = [
      ...createApp().routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`),
      ...adminRoutes.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${ADMIN_MOUNT}${r.path}`),
    ].map((r) => r.replace(/(.)\/$/, "$1"));
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const wanted = [...new Set(registered.map((r) => { const [m, p] = r.split(" "); return `${m} ${openApiPath(p ?? "")}`; }))].sort();
    expect(documented.sort()).toEqual(wanted);
    expect(wanted).toEqual(expect.arrayContaining(["POST /v1/chat/completions", "PUT /admin/v1/tenants/{id}/settings", "GET /metrics", "GET /openapi.json"]));
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    const copy = structuredClone(buildOpenApi());
    await expect(SwaggerParser.validate(copy as never)).resolves.toBeTruthy();
    expect((doc.paths["/v1/requests/{id}"]?.get?.parameters ?? []).map((p) => `${p.in}:${p.name}`)).toEqual(["path:id"]);
    expect((doc.paths["/v1/usage"]?.get?.parameters ?? []).map((p) => p.name)).toEqual(expect.arrayContaining(["from", "to", "groupBy"]));
  });

  it("accepts the README's sample requests and rejects what the handlers reject", () => {
    const chat = requestSchema("/v1/chat/completions", "post");
    expect(accepts(chat, { model: "auto", messages: [{ role: "user", content: "Hello" }] })).toBe(true);
    expect(accepts(chat, { model: "auto", stream: true, stream_options: { include_usage: true }, messages: [{ role: "system", content: "Be brief" }, { role: "user", content: [{ type: "text", text: "Hi" }] }] })).toBe(true);
    expect(accepts(chat, { model: "auto" })).toBe(false);
    expect(accepts(chat, { model: "auto", prompt: { id: "greeting", label: "production", variables: { name: "Ada" } } })).toBe(true);
    expect(accepts(chat, { model: "auto", prompt: { id: "greeting", extra: 1 } })).toBe(false);
    expect(accepts(requestSchema("/v1/feedback", "post"), { request_id: "req_1", verdict: "wrong" })).toBe(true);
    expect(accepts(requestSchema("/v1/feedback", "post"), { request_id: "req_1", verdict: "maybe" })).toBe(false);
    expect(accepts(chat, { model: "auto", messages: [{ role: "user", content: "x" }], temperature: 9 })).toBe(false);
    const settings = requestSchema("/admin/v1/tenants/{id}/settings", "put");
    expect(accepts(settings, { guardrails: { injection: { action: "flag" } }, cache: { threshold: 0.9, ttlSeconds: 3600 }, router: { cascade: true }, telemetry: { captureContent: true } })).toBe(true);
    expect(accepts(settings, { nonsense: {} })).toBe(false);
    const budget = requestSchema("/admin/v1/tenants/{id}/budget", "put");
    expect(accepts(budget, { budgets: [{ monthly_usd: 500 }, { scope: "feature", scope_id: "support-bot", monthly_usd: 100, policy: "downgrade" }] })).toBe(true);
    expect(accepts(requestSchema("/v1/embeddings", "post"), { model: "auto", input: ["a", "b"] })).toBe(true);
    expect(accepts(requestSchema("/v1/guardrails/check", "post"), { text: "mail me at a@b.co", checks: ["pii", "injection"] })).toBe(true);
  });

  it("never rejects a body the route's own zod schema accepts (property)", () => {
    const pairs = [
      [ChatCompletionRequestSchema, requestSchema("/v1/chat/completions", "post")],
      [ChatBodySchema, requestSchema("/v1/chat/completions", "post")],
      [TenantSettingsInputSchema, requestSchema("/admin/v1/tenants/{id}/settings", "put")],
      [PutBudgetSchema, requestSchema("/admin/v1/tenants/{id}/budget", "put")],
    ] as const;
    const message = fc.record({ role: fc.constantFrom("system", "user", "assistant"), content: fc.string({ maxLength: 30 }) });
    const chatLike = fc.record(
      { model: fc.string({ minLength: 1, maxLength: 20 }), messages: fc.array(message, { minLength: 1, maxLength: 4 }), temperature: fc.double({ min: 0, max: 2, noNaN: true }), max_tokens: fc.integer({ min: 1, max: 4096 }), stream: fc.boolean(), user: fc.string({ maxLength: 20 }) },
      { requiredKeys: ["model", "messages"] },
    );
    const anyBody = fc.oneof(chatLike, fc.record({ budgets: fc.array(fc.record({ monthly_usd: fc.double({ min: 0, max: 1e6, noNaN: true }) }), { maxLength: 3 }) }), fc.record({ telemetry: fc.record({ captureContent: fc.boolean() }) }), fc.jsonValue());
    fc.assert(
      fc.property(anyBody, (body) => {
        for (const [zod, json] of pairs) if (zod.safeParse(body).success) expect(accepts(json, body)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
