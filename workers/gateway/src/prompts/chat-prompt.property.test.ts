/**
 * Property: a chat body's `prompt` field, whatever it holds, is either refused with a 4xx
 * GatewayError (the error handler's OpenAI-style answer) or rendered into messages that come
 * before the request's own, with the version on the exchange and in its decisions; never
 * another error (a 500).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { GatewayError } from "../../../../shared/errors";
import type { ChatExchange } from "../chat/exchange";
import { promptsRoutes } from "../routes/prompts";
import { applyPrompt, ChatBodySchema, chatRequestOf } from "./chat-prompt";
import { GREETING, promptsFixture } from "./testing";

vi.mock("cloudflare:workers", () => ({ DurableObject: class {}, env: {} }));

let f: Awaited<ReturnType<typeof promptsFixture>>;
beforeAll(async () => {
  f = await promptsFixture([promptsRoutes]);
  await f.call("POST", "/v1/prompts", f.keys.developer, GREETING);
  await f.call("POST", "/v1/prompts", f.keys.developer, { ...GREETING, id: "support-only", feature: "support", labels: ["production", "staging"] });
});

const CALLERS = {
  unrestricted: { tenantId: "ten_acme", keyId: "key_a", features: null },
  support: { tenantId: "ten_acme", keyId: "key_s", features: ["support"] },
  other: { tenantId: "ten_other", keyId: "key_o", features: null },
} as const;

const value = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom("formal", "casual", "{{product}}", "a@b.co"));
const variables = fc.oneof(
  fc.dictionary(fc.constantFrom("product", "tone", "customer", "question", "extra", "__proto__", "constructor"), value, { maxKeys: 5 }),
  fc.record({ product: fc.string({ maxLength: 10 }), customer: fc.string({ maxLength: 10 }), question: fc.string({ maxLength: 10 }) }),
  value,
);
const sound = fc.record({ product: fc.string({ maxLength: 10 }), customer: fc.string({ maxLength: 10 }), question: fc.string({ maxLength: 10 }), tone: fc.constantFrom("formal", "casual") }, { requiredKeys: ["product", "customer", "question"] });
const prompt = fc.oneof(
  fc.record({ id: fc.constantFrom("greeting", "support-only"), label: fc.constantFrom("production", "staging"), variables: fc.oneof(sound, variables) }, { requiredKeys: ["id", "variables"] }),
  fc.record({ id: fc.constantFrom("greeting", "support-only"), version: fc.integer({ min: 1, max: 2 }), variables: fc.oneof(sound, variables) }, { requiredKeys: ["id", "version", "variables"] }),
  fc.record({ id: fc.constantFrom("greeting", "support-only", "nope", "", "a".repeat(70)), version: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constant(1.5), fc.string({ maxLength: 3 })), label: fc.constantFrom("production", "staging", "Nope", "x".repeat(40)), variables, extra: fc.integer() }, { requiredKeys: ["id"] }),
  value,
);
const message = fc.record({ role: fc.constantFrom("user", "system", "assistant", "bogus"), content: fc.oneof(fc.string({ maxLength: 20 }), fc.constant(null)) });
const userMessage = fc.record({ role: fc.constant("user"), content: fc.string({ maxLength: 20 }) });
const body = fc.record({ model: fc.constantFrom("auto", "small"), messages: fc.array(fc.oneof(userMessage, message), { maxLength: 2 }), prompt, metadata: fc.record({ feature: fc.constantFrom("support", "billing") }) }, { requiredKeys: ["model"] });

function exchange(request: ChatExchange["original"], caller: (typeof CALLERS)[keyof typeof CALLERS], feature: string | null): ChatExchange {
  return { auth: caller, feature, original: request, request, decisions: {} } as unknown as ChatExchange;
}

describe("chat request prompt field (property)", () => {
  it("renders before the request's messages or refuses with a 4xx, never anything else", async () => {
    let rendered = 0;
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom("unrestricted", "support", "other") as fc.Arbitrary<keyof typeof CALLERS>, async (b, who) => {
        const parsed = ChatBodySchema.safeParse(b);
        if (!parsed.success) return;
        const { request, prompt: ref } = chatRequestOf(parsed.data);
        if (!ref) {
          expect(request.messages.length).toBeGreaterThan(0);
          return;
        }
        const feature = b.metadata?.feature ?? null;
        const ex = exchange(request, CALLERS[who], feature);
        try {
          const out = await applyPrompt(ex, ref, f.db);
          rendered++;
          expect(out.messages.length).toBeGreaterThan(request.messages.length);
          expect(out.messages.slice(out.messages.length - request.messages.length)).toEqual(request.messages);
          expect(ex.prompt?.id).toBe(ref.id);
          expect(ex.decisions["prompt"]).toMatchObject({ id: ref.id, version: ex.prompt?.version });
          expect(JSON.stringify(out)).not.toContain("prompt.variables");
          if (ex.prompt?.id === "support-only") expect(feature).toBe("support");
          if (who === "other") throw new Error("another tenant's prompt rendered");
        } catch (err) {
          expect(err, String(err)).toBeInstanceOf(GatewayError);
          const status = (err as GatewayError).status;
          expect(status).toBeGreaterThanOrEqual(400);
          expect(status).toBeLessThan(500);
        }
      }),
      { numRuns: 300 },
    );
    expect(rendered).toBeGreaterThan(5);
  });
});
