import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptText, generateKeySpec, keyringFromEnv, type Keyring } from "../../../../shared/crypto/envelope";
import { RouterTrainingExampleSchema } from "../../../../shared/schemas/router-training-example";
import { JudgeSchema } from "../../../evaluator/src/judge/config";
import { usageEvent } from "../../../evaluator/src/testing/events";
import { startD1 } from "../../../evaluator/src/testing/harness";
import { startJudgeStub, type JudgeStub } from "../../../evaluator/src/testing/judge-stub";
import { streamRetrainingJsonl } from "./retraining-export";
import { ingest } from "./test-fixtures";

let d1: Awaited<ReturnType<typeof startD1>>;
let keyring: Keyring;
let stub: JudgeStub;
const T = Date.parse("2026-11-26T12:00:00Z");

const ev = (id: string, tier: string, answer: string) =>
  usageEvent({
    requestId: id,
    tenantId: "acme",
    completedAt: T,
    tier,
    model: tier === "small" ? "small-sim" : "frontier-sim",
    decisions: { route: { complexity: 0.3, intent: "factual_qa" } },
    content: { messages: [{ role: "system", content: "Context: <PERSON_1> owns order 7." }, { role: "user", content: `Who owns order 7? (${id})` }], response: answer },
  });

beforeAll(async () => {
  d1 = await startD1();
  keyring = await keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: generateKeySpec("k1") });
  stub = await startJudgeStub((_model, prompt) => (prompt.includes("WRONG") ? 2 : 5));
  await ingest(d1.db, [ev("s-good", "small", "<PERSON_1> owns it."), ev("s-bad", "small", "WRONG"), ev("f-good", "frontier", "<PERSON_1>."), ev("f-bad", "frontier", "WRONG")], {
    seal: (t) => encryptText(t, keyring),
    judges: [JudgeSchema.parse({ name: "j", baseUrl: stub.url, model: "small-sim", timeoutMs: 5000 })],
    sampling: { default: 1, rules: [] },
    fetch: (u, i) => fetch(u, i),
  });
});
afterAll(async () => {
  await d1.dispose();
  await stub.close();
});

async function lines(stream: ReadableStream<Uint8Array>): Promise<unknown[]> {
  const text = await new Response(stream).text();
  return text.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as unknown);
}

describe("streamRetrainingJsonl", () => {
  it("emits schema-valid feedback lines: small-tier outcomes and low-scoring answers, redacted text only", async () => {
    const out = await lines(streamRetrainingJsonl(d1.db, { since: T - 1, keyring, pageSize: 1 }));
    expect(out.map((e) => RouterTrainingExampleSchema.parse(e).request_id).sort()).toEqual(["f-bad", "s-bad", "s-good"]);
    const byId = Object.fromEntries(out.map((e) => [(e as { request_id: string }).request_id, e]));
    expect(byId["s-good"]).toMatchObject({ source: "feedback", small_ok: true, intent: "factual_qa", complexity: 0.3, prompt: "Who owns order 7? (s-good)", context: "system: Context: <PERSON_1> owns order 7." });
    expect(byId["s-bad"]).toMatchObject({ small_ok: false, weight: 2 });
    expect(byId["f-bad"]).not.toHaveProperty("small_ok");
  });

  it("filters by time and tenant", async () => {
    expect(await lines(streamRetrainingJsonl(d1.db, { since: T + 1, keyring }))).toEqual([]);
    expect(await lines(streamRetrainingJsonl(d1.db, { since: 0, tenantId: "nobody", keyring }))).toEqual([]);
  });
});
