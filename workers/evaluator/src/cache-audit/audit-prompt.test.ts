import { describe, expect, it } from "vitest";
import { parseJudgement } from "../judge/judge-client";
import { semanticHitEvent, usageEvent } from "../testing/events";
import { parseCacheAuditConfig } from "./audit-cache-hit";
import { auditVerdict, type AuditJudgeOutcome } from "./audit-panel";
import { CACHE_AUDIT_RESPONSE_FORMAT, cacheAuditMessages, cacheAuditOf } from "./audit-prompt";
import { EMPTY_USAGE } from "../../../../shared/usage";

const hit = semanticHitEvent("r1", {
  cachedQuestion: "How do I reset my password?",
  question: "How can I reset my password?",
  similarity: 0.91,
  answer: "Open Settings > Security and choose Reset password.",
});

const judge = (name: string, score: number | null, weight = 1): AuditJudgeOutcome => ({
  name,
  model: `${name}-model`,
  version: "1",
  weight,
  scores: score === null ? {} : { cache_fit: { score, reason: "r" } },
  usage: EMPTY_USAGE,
  error: score === null ? "down" : null,
});

describe("cache audit payload", () => {
  it("reads the audit of a sampled semantic hit", () => {
    expect(cacheAuditOf(hit)).toMatchObject({ entryId: "entry-r1", similarity: 0.91, question: "How can I reset my password?" });
  });

  it("ignores misses, unsampled hits and malformed payloads", () => {
    expect(cacheAuditOf(usageEvent())).toBeNull();
    expect(cacheAuditOf({ ...hit, decisions: { cache: { status: "hit-semantic", similarity: 0.9 } } })).toBeNull();
    expect(cacheAuditOf({ ...hit, decisions: { cache: { audit: { entryId: "e", similarity: "high" } } } })).toBeNull();
    expect(cacheAuditOf({ ...hit, cache: "hit-exact" })).toBeNull();
  });
});

describe("cache audit prompt", () => {
  it("puts both questions, the shared context and the answer in front of the judge", () => {
    const audit = cacheAuditOf(hit);
    if (!audit || !hit.content) throw new Error("fixture");
    const [system, user] = cacheAuditMessages(audit, hit.content);
    expect(system?.role).toBe("system");
    expect(system?.content).toContain("redaction placeholder");
    const text = user?.content ?? "";
    expect(text).toContain("QUESTION A (the answer was written for this):\nHow do I reset my password?");
    expect(text).toContain("QUESTION B (asked now):\nHow can I reset my password?");
    expect(text).toContain("ANSWER X:\nOpen Settings > Security");
    expect(text).toContain("correct and complete answer to QUESTION B");
    // The system prompt is shared context; the last user turn is question B, not context.
    expect(text).toContain("CONTEXT SHARED BY BOTH QUESTIONS:\n[system]\nYou are a support assistant.");
    expect(text.split("How can I reset my password?")).toHaveLength(2);
    expect(text).not.toContain("[user]");
  });

  it("asks for {score 1-5, reason} with a strict json_schema", () => {
    expect(CACHE_AUDIT_RESPONSE_FORMAT.json_schema.schema.properties.score).toEqual({ type: "integer", minimum: 1, maximum: 5 });
    expect(CACHE_AUDIT_RESPONSE_FORMAT.json_schema.strict).toBe(true);
  });
});

describe("judge answer parsing", () => {
  it.each([
    ['{"score": 4, "reason": "fits"}', { score: 4, reason: "fits" }],
    ['```json\n{"score": 2, "reason": "other city"}\n```', { score: 2, reason: "other city" }],
    ['{"score": "5", "reason": "ok"}', { score: 5, reason: "ok" }],
    ['{"score": 6, "reason": "too high"}', null],
    ['{"score": 3}', null],
    ["Score: 4", null],
  ])("%j -> %j", (text, expected) => {
    expect(parseJudgement(text)).toEqual(expected);
  });
});

describe("audit verdict", () => {
  it("is the weighted mean of the judges that answered, correct at the pass score", () => {
    const v = auditVerdict([judge("a", 5), judge("b", 3, 3), judge("c", null)], 4);
    expect(v).toMatchObject({ scoreMean: 3.5, correct: false, disagreement: true });
    expect(auditVerdict([judge("a", 4), judge("b", 4)], 4)).toMatchObject({ scoreMean: 4, correct: true, disagreement: false });
    expect(auditVerdict([judge("a", 4), judge("b", 4)], 4.5)?.correct).toBe(false);
  });

  it("has no verdict when every judge failed", () => {
    expect(auditVerdict([judge("a", null)], 4)).toBeNull();
  });

  it("reads its config from vars and rejects nonsense", () => {
    expect(parseCacheAuditConfig(undefined, undefined)).toEqual({ sampling: { default: 1, rules: [] }, passScore: 4 });
    expect(parseCacheAuditConfig('{"default":0.5,"rules":[{"tenantId":"t","rate":0}]}', "4.5")).toEqual({
      sampling: { default: 0.5, rules: [{ tenantId: "t", rate: 0 }] },
      passScore: 4.5,
    });
    expect(() => parseCacheAuditConfig(undefined, "9")).toThrow();
  });
});
