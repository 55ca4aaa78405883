import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../../../gpu-backends/simulator/src/server";
import type { ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";
import type { Attempt } from "../router/attempts/build-attempts";
import { openAICompatibleUpstream } from "../upstreams/openai-compatible/openai-compatible";
import { testContext } from "../upstreams/testing/fixtures";
import { draftRequest, judgeDraft } from "./draft-verdict";

const QUESTION = "A crate holds 6 rows of 5 melons and 4 loose melons. How many melons are there?";
const attempt = (kind: string) => ({ tier: "small", model: { upstream: { kind } } }) as unknown as Attempt;
const request: ChatCompletionRequest = { model: "auto", messages: [{ role: "user", content: QUESTION }] };

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ replay: [{ model: "small-sim", prompt: QUESTION, response: "6 x 5 = 30 melons.\n30 + 4 = 34 melons.\n#### 34", logprobs: [-0.05] }] });
});
afterAll(() => sim.close());

describe("draftRequest", () => {
  it("asks OpenAI-compatible upstreams for logprobs, and no one else", () => {
    expect(draftRequest(request, [attempt("openai-compatible")])).toMatchObject({ logprobs: true });
    expect(draftRequest(request, [attempt("openai-compatible"), attempt("anthropic")])).not.toHaveProperty("logprobs");
    expect(draftRequest({ ...request, logprobs: false }, [attempt("openai-compatible")])).toMatchObject({ logprobs: false });
  });
});

describe("judgeDraft through the OpenAI-compatible adapter", () => {
  const config = { kind: "openai-compatible" as const, baseUrl: "http://127.0.0.1:1/v1" };
  const call = (body: ChatCompletionRequest) => openAICompatibleUpstream.chat(body, testContext({ ...config, baseUrl: sim.baseUrl }, { fetch, upstreamModel: "small-sim" }));

  it("passes logprobs through, reads them, and hides them from a client that did not ask", async () => {
    const { response } = await call(draftRequest(request, [attempt("openai-compatible")]));
    expect(response.choices[0]).toHaveProperty("logprobs.content");
    const verdict = judgeDraft({ request, decisions: { route: { complexity: 0.2, cascadeThreshold: 0.9 } } }, response);
    expect(verdict).toMatchObject({ ok: true, threshold: 0.9 });
    expect(verdict.logprobTokens).toBeGreaterThan(5);
    expect(response.choices[0]).not.toHaveProperty("logprobs");
  });

  it("keeps logprobs for a client that asked for them", async () => {
    const asked = { ...request, logprobs: true };
    const { response } = await call(draftRequest(asked, [attempt("openai-compatible")]));
    judgeDraft({ request: asked, decisions: {} }, response);
    expect(response.choices[0]).toHaveProperty("logprobs.content");
  });
});
