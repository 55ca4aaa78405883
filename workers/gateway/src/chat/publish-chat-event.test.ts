/**
 * Metering never fails silently (issue 14): when the usage event cannot be built, a minimal,
 * schema-valid event still reaches the queue (billed, in the ledger, marked as a fallback, no
 * text), and the reservations are settled once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startD1 } from "../../../evaluator/src/testing/harness";
import { UsageEventPackSchema, UsageEventSchema, type UsageEvent } from "../../../../shared/schemas/usage-event";
import { registryFor } from "../config/registry-loader";
import { ServerTiming } from "../telemetry/server-timing";
import { getRequestTrace } from "../usage/request-trace";
import { ingest } from "../usage/test-fixtures";
import type { ExchangeResult } from "./build-event";
import type { ChatExchange } from "./exchange";
import { FALLBACK_MARK } from "./fallback-event";
import { chatPublisher, publishChatEvent } from "./publish-chat-event";

const model = registryFor({ MODEL_REGISTRY: "local", SIMULATOR_URL: "http://127.0.0.1:9" }).model("small-sim");
const ORIGINAL = "My name is Ada Quillfeather, card 4111 1111 1111 1111: plan my week";
const REDACTED = "My name is <PERSON_1>, card <CARD_1>: plan my week";
const ANSWER = "Monday: write the quarterly letter. Tuesday: rest.";

function exchange(overrides: Partial<ChatExchange> = {}): ChatExchange {
  const original = { model: "auto", messages: [{ role: "user" as const, content: ORIGINAL }] };
  const request = { ...original, messages: [{ role: "user" as const, content: REDACTED }] };
  return {
    requestId: "req_fb", clientRequestId: null, receivedAt: 1_000,
    auth: { tenantId: "ten_fb", keyId: "key_fb", role: "service", scopes: [], models: null, tiers: null, features: null },
    feature: "planner", timing: new ServerTiming(), original, request, redacted: true, stream: false, includeUsage: false,
    cache: "miss", cacheSimilarity: null, decisions: { route: { tier: "small" } }, headers: {}, attempts: [], answeredBy: model ?? null,
    ...overrides,
  };
}

const RESULT: ExchangeResult = { status: 200, errorCode: null, usage: null, costUsd: 0.0002, completedAt: 1_450, ttftMs: 120, answer: ANSWER };

/** A queue that keeps what it is sent, and the waitUntil promises to await before reading it. */
function capture() {
  const bodies: string[] = [];
  const pending: Promise<unknown>[] = [];
  const queue = { sendBatch: async (msgs: Iterable<{ body: string }>) => void bodies.push(...[...msgs].map((m) => m.body)) } as unknown as Queue;
  const events = async (): Promise<UsageEvent[]> => {
    await Promise.all(pending);
    return bodies.flatMap((b) => UsageEventPackSchema.parse(JSON.parse(b)).events.map((e) => UsageEventSchema.parse(e)));
  };
  return { queue, waitUntil: (p: Promise<unknown>) => void pending.push(p), events, bodies };
}

let d1: Awaited<ReturnType<typeof startD1>>;
beforeAll(async () => {
  d1 = await startD1();
});
afterAll(async () => d1?.dispose());

const throwing = (): never => {
  throw new TypeError("builder defect");
};

describe("chat usage events when the builder throws", () => {
  it("queues a minimal valid event (billed, marked, no text) and settles once", async () => {
    const q = capture();
    const settled: ExchangeResult[] = [];
    const publish = chatPublisher(exchange(), { queue: q.queue, waitUntil: q.waitUntil, observe: null, settle: (r) => void settled.push(r), build: throwing });
    publish(RESULT);
    publish({ ...RESULT, status: 500 }); // the error path after a publish adds nothing
    const [event, ...rest] = await q.events();
    expect(rest).toEqual([]);
    expect(settled).toEqual([RESULT]);
    expect(event).toMatchObject({
      requestId: "req_fb", tenantId: "ten_fb", keyId: "key_fb", feature: "planner", requestedModel: "auto",
      model: "small-sim", tier: model?.tier, status: 200, costUsd: 0.0002, latencyMs: 450, ttftMs: 120, cache: "miss",
      decisions: { [FALLBACK_MARK]: { error: "TypeError", tokens: "estimate" } },
    });
    expect(event?.content).toBeUndefined();
    expect(event?.usage.source).toBe("tokenizer");
    expect(event?.usage.input.total).toBeGreaterThan(5);
    expect(event?.usage.output.total).toBeGreaterThan(5);
    for (const text of ["Ada", "Quillfeather", "4111", "<PERSON_1>", "quarterly letter", "plan my week"]) expect(q.bodies.join("")).not.toContain(text);
  });

  it("keeps the result's own token counts and a cascade draft's parent", async () => {
    const q = capture();
    const usage = { input: { total: 31, cached: 0 }, output: { total: 12, reasoning: 0 }, source: "upstream" as const };
    publishChatEvent(q.queue, exchange({ requestId: "req_fb:draft", decisions: { cascadeDraftOf: "req_fb" } }), { ...RESULT, usage }, q.waitUntil, throwing);
    const [event] = await q.events();
    expect(event?.usage).toEqual(usage);
    expect(event?.decisions).toEqual({ cascadeDraftOf: "req_fb", [FALLBACK_MARK]: { error: "TypeError", tokens: "result" } });
  });

  it("falls back when the real builder throws on a broken exchange, and an observer's failure costs nothing", async () => {
    const q = capture();
    const timing = new ServerTiming();
    timing.list = () => {
      throw new RangeError("stages unreadable");
    };
    let settled = 0;
    const observe = () => {
      throw new Error("exporter down");
    };
    chatPublisher(exchange({ timing }), { queue: q.queue, waitUntil: q.waitUntil, observe, settle: () => void settled++ })(RESULT);
    const [event] = await q.events();
    expect(event?.decisions).toEqual({ [FALLBACK_MARK]: { error: "RangeError", tokens: "estimate" } });
    expect(settled).toBe(1);
  });

  it("is booked by the evaluator: a ledger row with tokens and cost, the marker in the trace", async () => {
    const q = capture();
    publishChatEvent(q.queue, exchange(), RESULT, q.waitUntil, throwing);
    const [event] = await q.events();
    await ingest(d1.db, [event as UsageEvent]);
    const row = await d1.db.prepare("SELECT model, status, prompt_tokens, completion_tokens, cost_usd FROM usage_ledger WHERE tenant_id = 'ten_fb' AND request_id = 'req_fb'").first<Record<string, number | string>>();
    expect(row).toMatchObject({ model: "small-sim", status: 200, prompt_tokens: event?.usage.input.total, completion_tokens: event?.usage.output.total });
    expect(Number(row?.["cost_usd"])).toBeGreaterThan(0);
    const trace = await getRequestTrace(d1.db, "ten_fb", "req_fb", { contentAccess: "none", features: null });
    expect(trace?.decisions).toEqual({ [FALLBACK_MARK]: { error: "TypeError", tokens: "estimate" } });
  });

  it("publishes the full event, unmarked, when the builder works", async () => {
    const q = capture();
    publishChatEvent(q.queue, exchange(), RESULT, q.waitUntil);
    const [event] = await q.events();
    expect(event?.decisions).toEqual({ route: { tier: "small" } });
    expect(event?.content?.response).toBe(ANSWER);
  });
});
