/** End to end in workerd: low judge scores -> cron -> signed webhook to a loopback receiver. */
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageEvent } from "../testing/events";
import { startEvaluator, type EvaluatorHarness } from "../testing/harness";
import { startJudgeStub, type JudgeStub } from "../testing/judge-stub";
import { ALERTS_CRON } from "../scheduled";
import { AlertRuleInputSchema, createAlertRule, listAlertRules } from "./rules";
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
    expect(AlertRuleInputSchema.safeParse({ metric: "judge_score_mean", comparator: "lt", threshold: 3, windowMinutes: 60, webhookUrl: "http://example.com/x", secretName: "S" }).success).toBe(false);
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
    const now = Date.now();
    await h.queue([{ id: "low", body: usageEvent({ requestId: "low-1", tenantId: "t-alert", completedAt: now - 1000 }) }]);
    await h.scheduled(ALERTS_CRON, new Date(now));
    expect(receiver.hits).toHaveLength(2); // 503, then delivered on the retry
    const hit = receiver.hits[1];
    const header = String(hit?.headers["x-gateway-signature"]);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
    expect(createHmac("sha256", SECRET).update(`${t}.${hit?.body}`).digest("hex")).toBe(v1);
    expect(await verifySignature(SECRET, hit?.body ?? "", header, Math.floor(Date.now() / 1000))).toBe(true);
    expect(await verifySignature("wrong", hit?.body ?? "", header, Math.floor(Date.now() / 1000))).toBe(false);
    expect(JSON.parse(hit?.body ?? "{}")).toMatchObject({ type: "alert.fired", ruleId: rule.id, tenantId: "t-alert", metric: "judge_score_mean", value: 1 });

    await h.scheduled(ALERTS_CRON, new Date(now + 1000));
    expect(receiver.hits).toHaveLength(2);
    const firing = await h.db.prepare("SELECT status, attempts FROM alert_firings WHERE rule_id = ?1").bind(rule.id).first();
    expect(firing).toEqual({ status: "delivered", attempts: 1 });
  });
});
