import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluate } from "./eval";
import { SHIPPED_MODEL } from "./lib/reference-backend";
import type { RoutingReport } from "./lib/routellm-metrics";

describe("router:eval", () => {
  it("reports APGR/CPT for prompt-only routing and cascade on the sample CSV, beating random", async () => {
    const report = await evaluate(readFileSync("data/router/eval-sample.csv", "utf8"), "small", "frontier", SHIPPED_MODEL);
    const p = report.prompt_only as RoutingReport;
    const c = report.cascade as RoutingReport;
    expect(report.rows).toBe(32);
    expect(p.qStrong).toBeGreaterThan(p.qWeak);
    expect(p.apgr).toBeGreaterThan(0.6);
    expect(p.cpt80).toBeLessThan(0.8);
    expect(c.apgr).toBeGreaterThan(0.5);
  });

  it("rejects a CSV without the named columns", async () => {
    await expect(evaluate("prompt,a\nhi,true\n", "a", "b", SHIPPED_MODEL)).rejects.toThrow(/missing column "b"/);
  });
});
