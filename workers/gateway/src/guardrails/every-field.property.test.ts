/**
 * Issue 13 item 3: no field of a request reaches an upstream unredacted. Random valid requests
 * carry a generated PII value in every field a client can fill (and in unknown keys at every
 * level the schema lets through); each goes the request path's way — end-user pseudonyms,
 * input guardrails, the adapter — to a mock upstream of each wire format that records the body
 * it received and echoes the last user turn. No planted value may appear in any body, and the
 * client's answer must be well formed with the echo restored to the user's own text.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../../../shared/errors";
import { ChatCompletionRequestSchema, ChatCompletionResponseSchema, contentText, type ChatCompletionRequest, type ChatCompletionResponse } from "../../../../shared/schemas/openai-chat";
import { projectChatRequest } from "../../../../shared/schemas/openai-chat-fields";
import { answer as upstreamAnswer } from "../cache/testing/fixtures";
import { filterChoices } from "../chat/output-filter";
import { anthropicUpstream } from "../upstreams/anthropic/anthropic";
import { openAICompatibleUpstream } from "../upstreams/openai-compatible/openai-compatible";
import { sageMakerUpstream, type SageMakerConfig } from "../upstreams/sagemaker/sagemaker";
import { jsonResponse, recordingFetch, testContext } from "../upstreams/testing/fixtures";
import { workersAIUpstream } from "../upstreams/workers-ai/workers-ai";
import { pseudonymizeEndUsers } from "./end-user";
import { runInputGuardrails } from "./orchestrate";
import { restoreText } from "./redact/restore";
import { GuardrailSettingsSchema } from "./settings";
import { buildChatRequest, type RequestProfile } from "./testing/chat-request-builder";
import { testHashKey } from "./testing/hash-key";

const TENANT = "t-every-field";
const SECRET = "test-end-user-secret";
// Flag, not block: the property is about redaction; a blocked request would prove nothing.
const SETTINGS = GuardrailSettingsSchema.parse({ injection: { action: "flag" } });

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" ? (v as Obj) : {});
const lastUser = (messages: unknown): Obj => obj((Array.isArray(messages) ? messages : []).filter((m) => obj(m).role === "user").at(-1));

interface Upstreamed {
  /** Everything the upstream received, serialized. */
  body: string;
  response: ChatCompletionResponse;
}

interface Format {
  name: string;
  profile: RequestProfile;
  call(request: ChatCompletionRequest): Promise<Upstreamed>;
}

const openAIEcho = (body: unknown): string => contentText(lastUser(obj(body).messages).content as never);

async function viaFetch(call: (fetch: typeof globalThis.fetch) => Promise<{ response: ChatCompletionResponse }>, respond: (body: unknown) => unknown): Promise<Upstreamed> {
  const { fetch, calls } = recordingFetch((c) => jsonResponse(respond(c.body)));
  const { response } = await call(fetch);
  expect(calls).toHaveLength(1);
  return { body: JSON.stringify(calls[0]?.body), response };
}

const sagemaker = (payload: SageMakerConfig["payload"]): SageMakerConfig => ({ kind: "sagemaker", region: "us-east-1", endpointName: "ep", payload });
const awsCredential = JSON.stringify({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" });

const FORMATS: Format[] = [
  {
    name: "openai-compatible",
    profile: { parts: ["text", "image_url", "input_audio", "file", "refusal"], tools: true, textPayloads: true },
    call: (req) =>
      viaFetch((fetch) => openAICompatibleUpstream.chat(req, testContext({ kind: "openai-compatible", baseUrl: "http://127.0.0.1:1/v1" }, { fetch })), (b) => upstreamAnswer(openAIEcho(b))),
  },
  {
    name: "anthropic",
    profile: { parts: ["text", "image_url"], tools: true },
    call: (req) =>
      viaFetch(
        (fetch) => anthropicUpstream.chat(req, testContext({ kind: "anthropic", baseUrl: "http://127.0.0.1:1/v1", version: "2023-06-01" }, { fetch })),
        (b) => {
          const blocks = lastUser(obj(b).messages).content;
          const text = (Array.isArray(blocks) ? blocks : []).map(obj).filter((x) => x.type === "text").map((x) => String(x.text)).join("");
          return { id: "msg_1", type: "message", role: "assistant", model: "claude", content: [{ type: "text", text }], stop_reason: "end_turn", usage: { input_tokens: 10, output_tokens: 5 } };
        },
      ),
  },
  {
    name: "sagemaker openai-messages",
    profile: { parts: ["text", "image_url", "input_audio", "file", "refusal"], tools: true, textPayloads: true },
    call: (req) => viaFetch((fetch) => sageMakerUpstream.chat(req, testContext(sagemaker("openai-messages"), { fetch, credential: awsCredential })), (b) => upstreamAnswer(openAIEcho(b))),
  },
  {
    name: "sagemaker tgi",
    profile: { parts: ["text"], tools: false },
    call: (req) =>
      viaFetch(
        (fetch) => sageMakerUpstream.chat(req, testContext(sagemaker("tgi"), { fetch, credential: awsCredential })),
        (b) => {
          const inputs = String(obj(b).inputs);
          const turn = inputs.slice(inputs.lastIndexOf("<|user|>\n") + "<|user|>\n".length);
          return [{ generated_text: turn.slice(0, turn.indexOf("</s>\n")), details: { finish_reason: "eos_token", generated_tokens: 5 } }];
        },
      ),
  },
  {
    name: "workers-ai",
    profile: { parts: ["text"], tools: true },
    async call(req) {
      const seen: unknown[] = [];
      const run = async (_model: string, inputs: unknown) => {
        seen.push(inputs);
        const last = (obj(inputs).messages as Obj[]).at(-1);
        return { response: String(last?.content ?? ""), tool_calls: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } };
      };
      const { response } = await workersAIUpstream.chat(req, testContext({ kind: "workers-ai" }, { bindings: { AI: { run } }, credential: undefined }));
      expect(seen).toHaveLength(1);
      return { body: JSON.stringify(seen[0]), response };
    },
  },
];

/**
 * The body with every inline payload decoded beside it (base64 data URLs, percent-encoded data
 * URLs, bare base64 file_data), so a value hidden in an encoded text file is seen too.
 */
function withDecodedPayloads(body: string): string {
  const decoded: string[] = [];
  const utf8 = (b64: string) => {
    try {
      return new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    } catch {
      return "";
    }
  };
  for (const m of body.matchAll(/data:[^,"]*;base64,([A-Za-z0-9+/=]+)/g)) decoded.push(utf8(m[1] ?? ""));
  for (const m of body.matchAll(/data:[^,"]*,([^"]*)/g)) {
    try {
      decoded.push(decodeURIComponent(m[1] ?? ""));
    } catch {
      // not percent-encoded text
    }
  }
  for (const m of body.matchAll(/"file_data":"([A-Za-z0-9+/=]+)"/g)) decoded.push(utf8(m[1] ?? ""));
  return [body, ...decoded].join("\n");
}

/** The value as typed and, for numbers typed with separators, its bare digits. */
const forms = (value: string): string[] => {
  const bare = value.replace(/[\s().+-]/g, "");
  return bare !== value && /^\d{9,}$/.test(bare) ? [value, bare] : [value];
};

describe.each(FORMATS)("every field through the $name adapter", (format) => {
  it("no planted PII value reaches the upstream, and the answer comes back restored", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.gen().map((g) => buildChatRequest(g, format.profile)),
        async ({ request, planted, lastUserText }) => {
          const parsed = ChatCompletionRequestSchema.parse(request);
          const guarded = await runInputGuardrails(pseudonymizeEndUsers(parsed, TENANT, SECRET), SETTINGS, testHashKey(TENANT));
          const { body, response } = await format.call(guarded.request);

          const seen = withDecodedPayloads(body);
          for (const value of planted) for (const form of forms(value)) expect(seen).not.toContain(form);

          const filter = { text: (v: string) => restoreText(v, guarded.vault), stream: () => ({ push: (d: string) => d, flush: () => "" }) };
          const client = ChatCompletionResponseSchema.parse({ ...response, choices: filterChoices(response.choices, filter) });
          expect(client.choices[0]?.message.content).toBe(lastUserText);
        },
      ),
      { numRuns: 25, seed: 20_130_003, endOnFailure: true },
    );
  });
});

describe("strict fields (guardrails.strictFields)", () => {
  const strict = GuardrailSettingsSchema.parse({ strictFields: true, injection: { action: "flag" } });

  it("a request with any field the gateway would not forward is a 400 naming it; one without goes through", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.gen().map((g) => buildChatRequest(g, FORMATS[0]?.profile as RequestProfile)),
        async ({ request }) => {
          const parsed = ChatCompletionRequestSchema.parse(request);
          const issues: string[] = [];
          projectChatRequest(parsed, (i) => issues.push(i.path));
          const run = runInputGuardrails(parsed, strict, testHashKey(TENANT));
          if (issues.length === 0) return void (await run);
          const err = await run.then(() => null, (e: unknown) => e);
          expect(err).toBeInstanceOf(GatewayError);
          expect((err as GatewayError).status).toBe(400);
          expect(["unknown_parameter", "unsupported_parameter"]).toContain((err as GatewayError).code);
          expect(issues).toContain((err as GatewayError).param);
        },
      ),
      { numRuns: 40, seed: 7, endOnFailure: true },
    );
  });
});
