/** The consumer runs no judge panel for a call whose budget is used up, and still records it. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumeBatch } from "../consume-batch";
import type { ConsumerDeps } from "../process-event";
import { usageEvent } from "../testing/events";
import { fakeBatch } from "../testing/fake-batch";
import { startD1 } from "../testing/harness";
import { JudgesSchema } from "./config";
import { monthStart } from "./monthly-budgets";

let d1: Awaited<ReturnType<typeof startD1>>;
beforeAll(async () => {
  d1 = await startD1();
});
afterAll(() => d1.dispose());

const NOW = Date.parse("2026-11-27T02:10:01Z");

describe("judge spend stops at the budget", () => {
  it("judges calls of a tenant with room, and not those of a tenant whose block budget is spent", async () => {
    let calls = 0;
    const judge: ConsumerDeps["fetch"] = async () => {
      calls++;
      return Response.json({ id: "c", object: "chat.completion", model: "small-sim", choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: '{"verdicts": [[4, 5]]}' } }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
    };
    const deps: ConsumerDeps = {
      db: d1.db,
      // Parsed, so the panel's defaulted fields are whatever the judge config says they are.
      judges: JudgesSchema.parse([{ name: "j", baseUrl: "http://judge.test/v1", model: "small-sim", timeoutMs: 1000 }]),
      sampling: { default: 1, rules: [] },
      fetch: judge,
      credential: () => undefined,
      concurrency: 2,
      maxJudgeAttempts: 3,
      now: () => NOW,
    };
    for (const id of ["t-room", "t-spent"]) {
      await d1.db.prepare("INSERT INTO tenants (id, name, created_at) VALUES (?, ?, 0)").bind(id, id).run();
      await d1.db.prepare("INSERT INTO budgets (tenant_id, scope, scope_id, monthly_usd, policy, updated_at) VALUES (?, 'tenant', '', 1, 'block', 0)").bind(id).run();
    }
    // t-spent's earlier judging already used up its month.
    await d1.db
      .prepare("INSERT INTO usage_rollups_hourly (tenant_id, hour, feature, model, tier, key_id, kind, cost_usd) VALUES ('t-spent', ?, 'support', 'frontier-sim', 'judge', 'k1', 'judge', 1)")
      .bind(monthStart(NOW))
      .run();
    const room = usageEvent({ requestId: "room-1", tenantId: "t-room", costUsd: 0.01, completedAt: NOW - 1_000 });
    const spent = usageEvent({ requestId: "spent-1", tenantId: "t-spent", costUsd: 0.01, completedAt: NOW - 1_000 });
    expect(await consumeBatch(fakeBatch([room, spent], 1), deps)).toEqual({ acked: 2, retried: 0, deadLettered: 0 });
    const judgedRows = await d1.db.prepare("SELECT tenant_id, COUNT(*) AS n FROM usage_ledger WHERE kind = 'judge' GROUP BY tenant_id").all<{ tenant_id: string; n: number }>();
    expect(judgedRows.results.map((r) => r.tenant_id)).toEqual(["t-room"]);
    expect(calls).toBeGreaterThan(0);
    const evaluations = await d1.db.prepare("SELECT request_id FROM evaluations ORDER BY request_id").all<{ request_id: string }>();
    expect(evaluations.results.map((r) => r.request_id)).toEqual(["room-1"]);
    // The skipped call itself is still in the ledger.
    expect(await d1.db.prepare("SELECT status FROM usage_ledger WHERE request_id = 'spent-1'").first("status")).toBe(200);
  });
});
