import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ServerTiming } from "./server-timing";

// W3C Server Timing: server-timing-metric = metric-name *( OWS ";" OWS server-timing-param ).
const METRIC = /^[A-Za-z0-9_-]+;dur=\d+\.\d{2}$/;

describe("ServerTiming header", () => {
  it("is never empty: a request with no stage still reports its total", () => {
    expect(new ServerTiming().header()).toMatch(/^total;dur=\d+\.\d{2}$/);
  });

  it("lists every stage as a valid metric name (an empty one too), then total last", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { maxLength: 20 }), (stages) => {
        const timing = new ServerTiming();
        for (const [name, ms] of stages) timing.add(name, ms);
        const metrics = timing.header().split(", ");
        expect(metrics).toHaveLength(stages.length + 1);
        expect(metrics.at(-1)).toMatch(/^total;dur=/);
        for (const m of metrics) expect(m).toMatch(METRIC);
      }),
    );
  });
});
