import { describe, expect, it } from "vitest";
import { cascadeReport, routingReport, type EvalItem } from "./routellm-metrics";

// 10 prompts: the weak model fails exactly the 4 with the highest scores; strong is always right.
const items: EvalItem[] = Array.from({ length: 10 }, (_, i) => ({ score: i / 10, weakOk: i < 6, strongOk: true }));

describe("RouteLLM metrics", () => {
  it("gives a perfect ranking full recovery once the failing share is routed", () => {
    const r = routingReport(items);
    expect(r.qWeak).toBeCloseTo(0.6);
    expect(r.qStrong).toBe(1);
    expect(r.cpt50).toBeCloseTo(0.2);
    expect(r.cpt80).toBeCloseTo(0.4);
    expect(r.curve[4]!.pgr).toBeCloseTo(1);
    // trapezoid over 0..100%: 0, .25, .5, .75, 1, 1, ... -> (0/2 + .25+.5+.75 + 6*1 + 1/2) / 10
    expect(r.apgr).toBeCloseTo(0.8);
  });

  it("gives an inverted ranking no recovery until the end", () => {
    const r = routingReport(items.map((it) => ({ ...it, score: 1 - it.score })));
    expect(r.cpt50).toBeCloseTo(0.8);
    expect(r.apgr).toBeLessThan(0.3);
  });

  it("scores a cascade whose verifier catches every failure as full recovery at the failing share", () => {
    const r = cascadeReport(items.map((it) => ({ ...it, score: 0, draftAccepted: it.weakOk })));
    expect(r.cpt80).toBeCloseTo(0.4);
    expect(r.curve[4]!.pgr).toBeCloseTo(1);
  });
});
