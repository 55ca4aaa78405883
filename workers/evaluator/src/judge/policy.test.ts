import { describe, expect, it } from "vitest";
import { EMPTY_USAGE } from "../../../../shared/usage";
import { JudgeBudget } from "./budget";
import { runChecks } from "./checks";
import { aggregate, mergeStrong, type JudgeOutcome, type PanelResult } from "./panel";
import { DEFAULT_JUDGE_POLICY, escalationReasons, parseJudgePolicy } from "./policy";

const judge = (name: string, score: number, confidence: number, tier: "cheap" | "strong" = "cheap"): JudgeOutcome => ({
  name, model: name, version: "1", weight: 1, tier, overall: score, confidence, usage: EMPTY_USAGE, error: null,
  scores: { faithfulness: { score, reason: "" }, relevance: { score, reason: "" }, format: { score, reason: "" } },
});

function panel(response: string, ...judges: JudgeOutcome[]): PanelResult {
  const checks = runChecks(response, undefined);
  return { checks, judges, ...aggregate(checks, judges) };
}

const noAudit = { ...DEFAULT_JUDGE_POLICY, escalation: { ...DEFAULT_JUDGE_POLICY.escalation, auditRate: 0 } };

describe("escalation policy", () => {
  it("escalates a low score, an unsure judge and two cheap judges that disagree; a confident good verdict stands", () => {
    expect(escalationReasons(panel("fine", judge("a", 5, 5)), noAudit, "r1")).toEqual([]);
    expect(escalationReasons(panel("fine", judge("a", 2, 5)), noAudit, "r1")).toEqual(["low_score"]);
    expect(escalationReasons(panel("fine", judge("a", 4, 2)), noAudit, "r1")).toEqual(["unsure"]);
    expect(escalationReasons(panel("fine", judge("a", 5, 5), judge("b", 3, 5)), noAudit, "r1")).toEqual(["disagreement"]);
  });

  it("does not ask for a second opinion a hard check failure makes pointless, nor about empty answers", () => {
    // A leaked email caps the score at 2 whatever a judge says.
    expect(escalationReasons(panel("write to jane@example.com", judge("a", 1, 5)), noAudit, "r1")).toEqual([]);
    expect(escalationReasons(panel(""), noAudit, "r1")).toEqual([]);
  });

  it("audits a deterministic ~2% sample of confident verdicts", () => {
    const p = panel("fine", judge("a", 5, 5));
    const ids = Array.from({ length: 5000 }, (_, i) => `req-${i}`);
    const audited = ids.filter((id) => escalationReasons(p, DEFAULT_JUDGE_POLICY, id).includes("audit"));
    expect(audited.length / ids.length).toBeGreaterThan(0.012);
    expect(audited.length / ids.length).toBeLessThan(0.028);
    expect(ids.filter((id) => escalationReasons(p, DEFAULT_JUDGE_POLICY, id).includes("audit"))).toEqual(audited);
  });

  it("lets the strong verdict replace the cheap one and flags a gap of 2 or more", () => {
    const merged = mergeStrong(panel("fine", judge("cheap", 2, 2)), [judge("strong", 5, 5, "strong")]);
    expect(merged.scoreMean).toBe(5);
    expect(merged.disagreement).toBe(true);
    expect(merged.judges.map((j) => j.name)).toEqual(["cheap", "strong"]);
    const failed = { ...judge("strong", 5, 5, "strong"), overall: null, scores: {}, confidence: null, error: "down" };
    expect(mergeStrong(panel("fine", judge("cheap", 2, 2)), [failed]).scoreMean).toBe(2);
  });

  it("validates JUDGE_POLICY and fills the defaults", () => {
    expect(parseJudgePolicy(undefined)).toMatchObject({ maxShareOfInference: 0.1, strongShare: 0.5, escalation: { lowScore: 2.5, auditRate: 0.02 } });
    expect(parseJudgePolicy('{"maxShareOfInference":0.05,"escalation":{"auditRate":0}}')).toMatchObject({ maxShareOfInference: 0.05, escalation: { auditRate: 0, unsureBelow: 3 } });
    expect(() => parseJudgePolicy('{"maxShareOfInference":-1}')).toThrow();
  });
});

describe("judge budget", () => {
  it("keeps judge spend within the share of inference spend, strong judges within their part", () => {
    const b = new JudgeBudget(DEFAULT_JUDGE_POLICY, new Map([["t", { inference: 1, cheap: 0, strong: 0 }]]));
    expect(b.tryCharge("t", "strong", 0.05)).toBe(true);
    expect(b.tryCharge("t", "strong", 0.01)).toBe(false); // strong may use half of the 0.1
    expect(b.tryCharge("t", "cheap", 0.05)).toBe(true);
    expect(b.tryCharge("t", "cheap", 0.001)).toBe(false);
    b.addInference("t", 1);
    expect(b.tryCharge("t", "cheap", 0.05)).toBe(true); // allowance accrues with inference spend
    b.settle("t", "cheap", 0.05, 0.01); // the calls cost less than reserved
    const s = b.snapshot("t");
    expect([s.inference, s.cheap, s.strong].map((x) => Math.round(x * 1e6) / 1e6)).toEqual([2, 0.06, 0.05]);
  });

  it("applies per-tenant rules; null means uncapped, 0 means checks only", () => {
    const policy = parseJudgePolicy('{"rules":[{"tenantId":"vip","maxShareOfInference":null},{"tenantId":"frugal","maxShareOfInference":0}]}');
    const b = new JudgeBudget(policy, new Map());
    expect(b.tryCharge("vip", "strong", 5)).toBe(true);
    expect(b.tryCharge("frugal", "cheap", 0.000001)).toBe(false);
    expect(b.tryCharge("other", "cheap", 0.000001)).toBe(false); // no inference yet today
  });
});
