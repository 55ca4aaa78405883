import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startJudgeStub, type JudgeStub } from "../testing/judge-stub";
import { JudgeSchema } from "./config";
import { runTriage, shareUsage, triageGroups } from "./triage";

let stub: JudgeStub;
beforeAll(async () => {
  stub = await startJudgeStub((_model, text) => (text.includes("WRONG") ? { score: 1, confidence: 4 } : { score: 5, confidence: 5 }));
});
afterAll(() => stub.close());

const item = (tenantId: string, response: string) => ({ tenantId, content: { messages: [{ role: "user", content: "When can I return it?" }], response } });

describe("cheap-pass triage", () => {
  it("groups one tenant's answers, at most `batch` and one prompt budget a call; a huge answer goes alone", () => {
    const long = (tag: string) => ({ tenantId: "a", content: { messages: [{ role: "system", content: "c".repeat(8_000) }, { role: "user", content: "q" }], response: `${tag}${"x".repeat(8_000)}` } });
    const items = [item("a", "1"), item("b", "2"), item("a", "3"), item("a", "4"), long("L"), long("M"), item("a", "5")];
    const groups = triageGroups(items, 2).map((g) => g.map((i) => `${i.tenantId}:${i.content.response.slice(0, 1)}`));
    // L and M are each over the prompt budget with anything else: each goes alone.
    expect(groups).toEqual([["a:1", "a:3"], ["a:4"], ["a:L"], ["a:M"], ["a:5"], ["b:2"]]);
  });

  it("splits a call's billed tokens among its answers by length, losing no token to rounding", () => {
    const usage = { input: { total: 1001, cached: 7 }, output: { total: 33, reasoning: 0 }, source: "upstream" as const };
    const shares = shareUsage(usage, [1, 2, 3]);
    expect(shares.reduce((s, u) => s + u.input.total, 0)).toBe(1001);
    expect(shares.reduce((s, u) => s + u.output.total, 0)).toBe(33);
    expect(shares.reduce((s, u) => s + u.input.cached, 0)).toBe(7);
    expect(shares[2]?.input.total).toBeGreaterThan(shares[0]?.input.total ?? 0);
  });

  it("gets one verdict per answer from a batched call and bills each answer its share", async () => {
    const judge = JudgeSchema.parse({ name: "cheap", baseUrl: stub.url, model: "small-sim", batch: 8 });
    const items = [item("a", "Within 30 days."), item("a", "WRONG: never."), item("a", "Any time within a month."), item("b", "Within 30 days.")];
    const before = stub.calls.length;
    const out = await runTriage(items, [judge], { fetch: (u, i) => fetch(u, i), credential: () => undefined }, 4);
    expect(stub.calls.length - before).toBe(2); // tenant a in one call, tenant b in another
    expect(items.map((i) => out.get(i)?.[0]?.overall)).toEqual([5, 1, 5, 5]);
    expect(items.map((i) => out.get(i)?.[0]?.confidence)).toEqual([5, 4, 5, 5]);
    const billed = items.slice(0, 3).reduce((s, i) => s + (out.get(i)?.[0]?.usage.input.total ?? 0), 0);
    expect(billed).toBe(200); // the stub bills 200 prompt tokens a call
  });

  it("hands each answer on once all its cheap judges answered, judges in config order, without waiting for the batch's slowest call", async () => {
    const first = JudgeSchema.parse({ name: "first", baseUrl: stub.url, model: "frontier-sim", batch: 8 });
    const second = JudgeSchema.parse({ name: "second", baseUrl: stub.url, model: "small-sim", batch: 8 });
    // The first judge answers late, and tenant b's calls later still.
    const fetchSlowly = async (u: string, init?: RequestInit): Promise<Response> => {
      const body = String(init?.body ?? "");
      await new Promise((r) => setTimeout(r, (body.includes("frontier-sim") ? 100 : 0) + (body.includes("SLOW") ? 400 : 0)));
      return fetch(u, init);
    };
    const items = [item("a", "Within 30 days."), item("b", "SLOW: within a month.")];
    const heard: { tenant: string; judges: string[] }[] = [];
    const out = await runTriage(items, [first, second], { fetch: fetchSlowly, credential: () => undefined }, 4, (it, outcomes) => {
      heard.push({ tenant: it.tenantId, judges: outcomes.map((o) => o.name) });
    });
    // a is handed on while b's calls are still out (b's come back 400 ms later).
    expect(heard).toEqual([
      { tenant: "a", judges: ["first", "second"] },
      { tenant: "b", judges: ["first", "second"] },
    ]);
    expect(items.map((i) => out.get(i)?.map((o) => o.name))).toEqual([["first", "second"], ["first", "second"]]);
  });
});
