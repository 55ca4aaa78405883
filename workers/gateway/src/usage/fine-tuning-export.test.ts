import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptText, generateKeySpec, keyringFromEnv, type Keyring } from "../../../../shared/crypto/envelope";
import { FineTuningExampleSchema, type FineTuningExample } from "../../../../shared/schemas/fine-tuning-example";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { usageEvent } from "../../../evaluator/src/testing/events";
import { startD1 } from "../../../evaluator/src/testing/harness";
import { streamFineTuningJsonl } from "./fine-tuning-export";
import { ingest } from "./test-fixtures";

let d1: Awaited<ReturnType<typeof startD1>>;
let keyring: Keyring;
const T = Date.parse("2026-11-26T12:00:00Z");

type Turn = { role: string; content: string };
const QUESTION: Turn[] = [
  { role: "system", content: "You help <PERSON_1> with orders." },
  { role: "user", content: "Where is order 7?" },
  { role: "assistant", content: "Which carrier?" },
  { role: "user", content: "The usual one. (pair)" },
];

/** A cascade pair as the gateway publishes it: the rejected draft `<id>:draft`, then the served answer. */
function pair(id: string, draft: string, served: string, extra: Partial<UsageEvent> = {}, turns: Turn[] = QUESTION): UsageEvent[] {
  const content = (response: string) => ({ messages: turns, response });
  return [
    usageEvent({ requestId: `${id}:draft`, tenantId: "acme", completedAt: T, tier: "small", model: "small-sim", decisions: { cascadeDraftOf: id }, content: content(draft), ...extra }),
    usageEvent({ requestId: id, tenantId: "acme", completedAt: T + 5, tier: "frontier", model: "frontier-sim", content: content(served), ...extra }),
  ];
}

/**
 * The judges' verdicts, written as the evaluator stores them: the export reads only the
 * evaluations table, so the test does not depend on how a panel reaches its score.
 */
async function judge(db: D1Database, events: UsageEvent[], score: (answer: string) => number): Promise<void> {
  const insert = db.prepare(
    "INSERT INTO evaluations (request_id, tenant_id, model, tier, status, score_mean, checks_json, judges_json, panel_version, completed_at, evaluated_at) VALUES (?1, ?2, ?3, ?4, 'ok', ?5, '{}', '[]', 'test', ?6, ?6)",
  );
  await db.batch(events.map((e) => insert.bind(e.requestId, e.tenantId, e.model ?? "", e.tier ?? "", score(e.content?.response ?? ""), e.completedAt)));
}

beforeAll(async () => {
  d1 = await startD1();
  keyring = await keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: generateKeySpec("k1") });
  const events = [
    ...pair("c1", "WRONG: no idea", "Order 7 ships with John Smith's team tomorrow, <PERSON_1>."),
    ...pair("c2", "It ships tomorrow.", "Order 7 ships tomorrow."), // draft already good: nothing to learn
    ...pair("c3", "WRONG one", "WRONG two"), // no better answer on record
    ...pair("c4", "WRONG draft", "A fine answer.", {}, [{ role: "tool", content: "{}" }, { role: "user", content: "and now?" }]), // tool turns: skipped
    ...pair("c5", "WRONG draft", "Another fine answer.", { tenantId: "other" }),
    usageEvent({ requestId: "s6", tenantId: "acme", completedAt: T, tier: "small", model: "small-sim", content: { messages: QUESTION, response: "WRONG alone" } }),
  ];
  await ingest(d1.db, events, { seal: (t) => encryptText(t, keyring) });
  await judge(d1.db, events, (answer) => (answer.includes("WRONG") ? 2 : 5));
});
afterAll(async () => {
  await d1.dispose();
});

async function lines(stream: ReadableStream<Uint8Array>): Promise<FineTuningExample[]> {
  const text = await new Response(stream).text();
  return text.trim().split("\n").filter(Boolean).map((l) => FineTuningExampleSchema.parse(JSON.parse(l)));
}

describe("streamFineTuningJsonl", () => {
  it("pairs each low-scoring small-tier draft with the better answer served instead, in OpenAI's chat format", async () => {
    const out = await lines(streamFineTuningJsonl(d1.db, { since: T - 1, tenantId: "acme", keyring, pageSize: 1 }));
    expect(out).toHaveLength(1);
    const [example] = out;
    expect(Object.keys(example ?? {})).toEqual(["messages"]);
    expect(example?.messages).toEqual([
      { role: "system", content: "You help <PERSON_1> with orders." },
      { role: "user", content: "Where is order 7?" },
      { role: "assistant", content: "Which carrier?", weight: 0 },
      { role: "user", content: "The usual one. (pair)" },
      // The name the model wrote is redacted on export, numbered after the placeholder already there.
      { role: "assistant", content: "Order 7 ships with <PERSON_2>'s team tomorrow, <PERSON_1>.", weight: 1 },
    ]);
  });

  it("adds provenance on request, and filters by tenant and time", async () => {
    const [withMeta] = await lines(streamFineTuningJsonl(d1.db, { since: T - 1, tenantId: "acme", keyring, meta: "true" }));
    expect(withMeta?.metadata).toEqual({ source: "pair", request_id: "c1", student_request_id: "c1:draft", student_model: "small-sim", student_score: 2, teacher_model: "frontier-sim", teacher_score: 5 });
    const all = await lines(streamFineTuningJsonl(d1.db, { since: 0, keyring, meta: "1" }));
    expect(all.map((e) => e.metadata?.request_id).sort()).toEqual(["c1", "c5"]);
    expect(await lines(streamFineTuningJsonl(d1.db, { since: T + 1, keyring }))).toEqual([]);
  });

  it("ends (does not hang) when every row of a page is skipped", async () => {
    const out = await lines(streamFineTuningJsonl(d1.db, { since: 0, tenantId: "acme", keyring: await keyringFromEnv({ CONTENT_ENCRYPTION_KEYS: generateKeySpec("other") }), pageSize: 1 }));
    expect(out).toEqual([]);
  });
});
