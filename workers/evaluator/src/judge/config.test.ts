import { describe, expect, it } from "vitest";
import { isSampled, parseJudges, parseSampling } from "./config";
import { aggregate } from "./panel";
import { runChecks } from "./checks";

describe("judge config", () => {
  it("validates the JUDGES var", () => {
    expect(parseJudges('[{"name":"a","baseUrl":"http://127.0.0.1:8000/v1","model":"small-sim","credential":"OPENAI_API_KEY"}]')[0]).toMatchObject({ weight: 1, version: "1" });
    expect(() => parseJudges('[{"name":"a","baseUrl":"nope","model":"m"}]')).toThrow();
    expect(() => parseJudges('[{"name":"a","baseUrl":"http://x/v1","model":"m"},{"name":"a","baseUrl":"http://x/v1","model":"n"}]')).toThrow();
    expect(parseJudges('[{"name":"w","kind":"workers-ai","model":"@cf/meta/llama-3.1-8b-instruct"}]')[0]).toMatchObject({ kind: "workers-ai", tier: "cheap" });
    expect(() => parseJudges('[{"name":"w","kind":"workers-ai-typo","model":"m"}]')).toThrow();
  });

  it("follows the Worker's variables in {env:NAME}, and names a missing one", () => {
    const raw = '[{"name":"cheap","baseUrl":"{env:SIMULATOR_URL}/v1","model":"small-sim"}]';
    expect(parseJudges(raw, { SIMULATOR_URL: "http://127.0.0.1:18000/" })[0]).toMatchObject({ kind: "openai-compatible", baseUrl: "http://127.0.0.1:18000/v1" });
    expect(() => parseJudges(raw, {})).toThrow(/SIMULATOR_URL/);
  });

  it("samples deterministically by request id, with tenant and feature rules", () => {
    const s = parseSampling(JSON.stringify({ default: 0.25, rules: [{ tenantId: "vip", rate: 1 }, { feature: "beta", rate: 0 }] }));
    const ids = Array.from({ length: 4000 }, (_, i) => `req-${i}`);
    const share = ids.filter((id) => isSampled(s, id, "t", "chat")).length / ids.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.3);
    expect(ids.map((id) => isSampled(s, id, "t", "chat"))).toEqual(ids.map((id) => isSampled(s, id, "t", "chat")));
    expect(ids.every((id) => isSampled(s, id, "vip", "beta"))).toBe(true);
    expect(ids.some((id) => isSampled(s, id, "t", "beta"))).toBe(false);
  });
});

describe("panel aggregate", () => {
  const judge = (name: string, weight: number, f: number, r: number, fmt: number) => ({
    name, model: name, version: "1", weight, tier: "strong" as const, overall: (f + r + fmt) / 3, confidence: 5, usage: { input: { total: 0, cached: 0 }, output: { total: 0, reasoning: 0 }, source: "none" as const }, error: null,
    scores: { faithfulness: { score: f, reason: "" }, relevance: { score: r, reason: "" }, format: { score: fmt, reason: "" } },
  });

  it("weights judges, flags disagreement >= 2 and caps hard failures", () => {
    const ok = runChecks("fine", undefined);
    const a = aggregate(ok, [judge("a", 1, 5, 5, 5), judge("b", 3, 1, 5, 5)]);
    expect(a.rubricMeans).toEqual({ faithfulness: 2, relevance: 5, format: 5 });
    expect(a.disagreement).toBe(true);
    expect(a.scoreMean).toBe(4);
    const leak = aggregate(runChecks("mail jane@example.com", undefined), [judge("a", 1, 5, 5, 5)]);
    expect(leak.scoreMean).toBe(2);
    expect(aggregate(ok, [judge("a", 1, 4, 4, 4), judge("b", 1, 5, 5, 5)]).disagreement).toBe(false);
  });
});
