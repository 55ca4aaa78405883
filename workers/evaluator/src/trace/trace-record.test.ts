import { describe, expect, it } from "vitest";
import { semanticHitEvent } from "../testing/events";
import { traceJson } from "./trace-record";

describe("traceJson", () => {
  it("keeps a sampled cache hit's audit facts but not the two questions' text (the trace is not sealed)", () => {
    const event = semanticHitEvent("req_t", { cachedQuestion: "How do I reset <PERSON_1>'s password?", question: "How can I reset my password?", similarity: 0.91, answer: "Go to settings." });
    const json = traceJson(event);
    expect(json).not.toContain("reset");
    const trace = JSON.parse(json) as { decisions: { cache: { audit: Record<string, unknown> } } };
    expect(trace.decisions.cache.audit).toMatchObject({ similarity: 0.91 });
    expect(Object.keys(trace.decisions.cache.audit)).not.toContain("question");
    // The event itself is untouched: the cache-quality judge still reads the questions from it.
    expect((event.decisions.cache as { audit: { question: string } }).audit.question).toBe("How can I reset my password?");
  });
});
