/** End to end in workerd: low judge scores -> cron -> signed webhook to a loopback receiver. */
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageEvent } from "../testing/events";
import { startEvaluator, type EvaluatorHarness } from "../testing/harness";
import { startJudgeStub, type JudgeStub } from "../testing/judge-stub";
import { ALERTS_CRON } from "../scheduled";
import { ALERT_LAG_MS, windowStart } from "./evaluate-alerts";
import { metricValue } from "./metrics";
import { AlertRuleInputSchema, createAlertRule, listAlertRules } from "../../../../shared/alerts/alert-rules";
import { verifySignature } from "./webhook";

const SECRET = "whsec_test_0123456789";
let h: EvaluatorHarness;
let stub: JudgeStub;
let receiver: { url: string; hits: { headers: Record<string, string | string[] | undefined>; body: string }[]; close: () => Promise<void> };

async function startReceiver(): Promise<typeof receiver> {
  const hits: typeof receiver.hits = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      hits.push({ headers: req.headers, body });
      res.writeHead(hits.length === 1 ? 503 : 204).end(); // first try fails: exercises the retry
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, hits, close: () => new Promise((r) => server.close(() => r())) };
}

beforeAll(async () => {
  stub = await startJudgeStub(() => 1);
  receiver = await startReceiver();
  h = await startEvaluator({
    JUDGES: JSON.stringify([
      { name: "a", baseUrl: stub.url, model: "small-sim" },
      { name: "b", baseUrl: stub.url, model: "frontier-sim" },
    ]),
    JUDGE_SAMPLING: '{"default":1}',
    ALERT_WEBHOOK_SECRET: SECRET,
  });
});
afterAll(async () => {
  await h?.dispose();
  await stub?.close();
  await receiver?.close();
});

describe("alerts", () => {
  it("validates rules and keeps them per tenant", async () => {
    const valid = { metric: "judge_score_mean", comparator: "lt", threshold: 3, windowMinutes: 60, webhookUrl: "https://example.com/x", secretName: "ALERT_WEBHOOK_SECRET" } as const;
    expect(AlertRuleInputSchema.safeParse(valid).success).toBe(true);
    expect(AlertRuleInputSchema.safeParse({ ...valid, webhookUrl: "http://example.com/x" }).success).toBe(false);
    // Only alert secrets may sign webhooks, never e.g. a provider key the evaluator holds.
    expect(AlertRuleInputSchema.safeParse({ ...valid, secretName: "OPENAI_API_KEY" }).success).toBe(false);
    expect(AlertRuleInputSchema.safeParse({ ...valid, metric: "drift_psi", windowMinutes: 5 }).success).toBe(false);
    expect(AlertRuleInputSchema.safeParse({ ...valid, metric: "drift_psi", windowMinutes: 120 }).success).toBe(true);
    await createAlertRule(h.db, "t-other", { metric: "spend_usd", comparator: "gt", threshold: 1e9, windowMinutes: 60, webhookUrl: "https://example.com/x", secretName: "ALERT_WEBHOOK_SECRET" });
    expect(await listAlertRules(h.db, "t-alert")).toEqual([]);
    expect(await listAlertRules(h.db, "t-other")).toHaveLength(1);
  });

  it("fires a low judge score once per window as a verifiable signed webhook", async () => {
    const rule = await createAlertRule(h.db, "t-alert", {
      name: "quality",
      metric: "judge_score_mean",
      comparator: "lt",
      threshold: 3,
      windowMinutes: 60,
      webhookUrl: receiver.url,
      secretName: "ALERT_WEBHOOK_SECRET",
    });
    // The cron runs on a window boundary and reads the hour that just closed, including its
    // last minutes (the answer below came one minute before the boundary).
    const boundary = windowStart(Date.now(), 60);
    await h.queue([{ id: "low", body: usageEvent({ requestId: "low-1", tenantId: "t-alert", completedAt: boundary - 60_000 }) }]);
    await h.scheduled(ALERTS_CRON, new Date(boundary)); // too soon: its last events may still be queued
    expect(receiver.hits).toHaveLength(0);
    await h.scheduled(ALERTS_CRON, new Date(boundary + ALERT_LAG_MS));
    expect(receiver.hits).toHaveLength(2); // 503, then delivered on the retry
    const hit = receiver.hits[1];
    const header = String(hit?.headers["x-gateway-signature"]);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
    expect(createHmac("sha256", SECRET).update(`${t}.${hit?.body}`).digest("hex")).toBe(v1);
    expect(await verifySignature(SECRET, hit?.body ?? "", header, Math.floor(Date.now() / 1000))).toBe(true);
    expect(await verifySignature("wrong", hit?.body ?? "", header, Math.floor(Date.now() / 1000))).toBe(false);
    expect(JSON.parse(hit?.body ?? "{}")).toMatchObject({ type: "alert.fired", ruleId: rule.id, tenantId: "t-alert", metric: "judge_score_mean", value: 1 });

    await h.scheduled(ALERTS_CRON, new Date(boundary + ALERT_LAG_MS + 5 * 60_000)); // same closed hour: no second firing
    expect(receiver.hits).toHaveLength(2);
    const firing = await h.db.prepare("SELECT status, attempts FROM alert_firings WHERE rule_id = ?1").bind(rule.id).first();
    expect(firing).toEqual({ status: "delivered", attempts: 1 });
  });

  it("fires a 5-minute rule for errors in the last closed five minutes", async () => {
    await createAlertRule(h.db, "t-alert5", { metric: "error_rate", comparator: "gte", threshold: 0.5, windowMinutes: 5, webhookUrl: receiver.url, secretName: "ALERT_WEBHOOK_SECRET" });
    const boundary = windowStart(Date.now(), 5);
    await h.queue([{ id: "err", body: usageEvent({ requestId: "err-1", tenantId: "t-alert5", status: 502, errorCode: "upstream_error", completedAt: boundary - 30_000 }) }]);
    const before = receiver.hits.length;
    await h.scheduled(ALERTS_CRON, new Date(boundary + 5 * 60_000)); // the next cron, 2+ minutes after it closed
    const fired = receiver.hits.slice(before).map((hit) => JSON.parse(hit.body) as { tenantId: string; metric: string; value: number });
    expect(fired).toContainEqual(expect.objectContaining({ tenantId: "t-alert5", metric: "error_rate", value: 1 }));
  });

  it("counts client requests only: an escalated cascade draft is spend, not a request", async () => {
    const t = Date.parse("2026-11-25T10:00:00Z");
    await h.queue([
      { id: "c-err", body: usageEvent({ requestId: "c-1", tenantId: "t-alert-draft", status: 502, errorCode: "upstream_error", completedAt: t, latencyMs: 900 }) },
      { id: "c-draft", body: usageEvent({ requestId: "c-1:draft", tenantId: "t-alert-draft", completedAt: t, latencyMs: 100, decisions: { cascadeDraftOf: "c-1" } }) },
    ]);
    expect(await metricValue(h.db, "t-alert-draft", "error_rate", t - 1, t + 1)).toBe(1);
    expect(await metricValue(h.db, "t-alert-draft", "latency_p95", t - 1, t + 1)).toBe(900);
    const rows = (await h.db.prepare("SELECT cost_usd FROM usage_ledger WHERE tenant_id = 't-alert-draft'").all<{ cost_usd: number }>()).results;
    expect(rows).toHaveLength(2);
    expect(await metricValue(h.db, "t-alert-draft", "spend_usd", t - 1, t + 1)).toBeCloseTo(rows[0]!.cost_usd + rows[1]!.cost_usd, 9);
  });
});

