import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pick, render } from "./exposition";
import { DURATION_BUCKETS, SeriesAccumulator, TTFT_BUCKETS } from "./series";
import { parseExposition, total } from "./testing/parse-exposition";

/** The q-quantile as Prometheus' histogram_quantile estimates it (linear within the bucket). */
function histogramQuantile(q: number, bounds: readonly number[], cumulative: number[]): number {
  const total = cumulative.at(-1) ?? 0;
  const rank = q * total;
  const i = cumulative.findIndex((c) => c >= rank);
  const lower = i === 0 ? 0 : (bounds[i - 1] as number);
  const below = i === 0 ? 0 : (cumulative[i - 1] as number);
  return lower + ((bounds[i] as number) - lower) * ((rank - below) / ((cumulative[i] as number) - below));
}

describe("Prometheus exposition", () => {
  it("renders counters and cumulative histograms a parser reads back, p50/p95/p99 derivable", () => {
    const acc = new SeriesAccumulator();
    const durations = Array.from({ length: 200 }, (_, i) => 0.02 + (i % 100) * 0.03); // 0.02 .. 2.99 s
    for (const d of durations) acc.observe("gateway_chat_request_duration_seconds", { tenant: "t1", model: "small-sim", tier: "small" }, d, DURATION_BUCKETS);
    acc.inc("gateway_http_requests_total", { route: "/v1/chat/completions", method: "POST", status: "200" }, 3);
    acc.inc("gateway_http_requests_total", { route: "unmatched", method: "GET", status: "404" });
    const all = acc.drain();
    const text = render([
      { name: "gateway_http_requests_total", help: "HTTP responses.", type: "counter", series: pick(all, "gateway_http_requests_total") },
      { name: "gateway_chat_request_duration_seconds", help: "Chat latency.", type: "histogram", buckets: DURATION_BUCKETS, series: pick(all, "gateway_chat_request_duration_seconds", true) },
    ]);
    const parsed = parseExposition(text);
    expect(parsed.get("gateway_http_requests_total")?.type).toBe("counter");
    expect(total(parsed, "gateway_http_requests_total", { status: "200" })).toBe(3);
    const hist = "gateway_chat_request_duration_seconds";
    expect(parsed.get(hist)?.type).toBe("histogram");
    expect(total(parsed, hist, { tenant: "t1" }, `${hist}_count`)).toBe(200);
    expect(total(parsed, hist, {}, `${hist}_sum`)).toBeCloseTo(durations.reduce((a, b) => a + b, 0), 6);
    const cumulative = DURATION_BUCKETS.map((b) => total(parsed, hist, { le: String(b) }, `${hist}_bucket`));
    const p50 = histogramQuantile(0.5, DURATION_BUCKETS, cumulative);
    const p99 = histogramQuantile(0.99, DURATION_BUCKETS, cumulative);
    expect(p50).toBeGreaterThan(1);
    expect(p50).toBeLessThan(2);
    expect(p99).toBeGreaterThan(2.5);
    expect(p99).toBeLessThanOrEqual(5);
  });

  it("keeps any label value intact (escaping) and never loses an observation", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { minLength: 1, maxLength: 50 }), (tenant, values) => {
        const acc = new SeriesAccumulator();
        for (const v of values) acc.observe("gateway_chat_time_to_first_token_seconds", { tenant, model: "m", tier: "small" }, v, TTFT_BUCKETS);
        acc.inc("gateway_cache_lookups_total", { tenant, status: "miss" }, values.length);
        const all = acc.drain();
        const text = render([
          { name: "gateway_cache_lookups_total", help: "x", type: "counter", series: pick(all, "gateway_cache_lookups_total") },
          { name: "gateway_chat_time_to_first_token_seconds", help: "y", type: "histogram", buckets: TTFT_BUCKETS, series: pick(all, "gateway_chat_time_to_first_token_seconds", true) },
        ]);
        const parsed = parseExposition(text);
        const name = "gateway_chat_time_to_first_token_seconds";
        expect(parsed.get("gateway_cache_lookups_total")?.samples[0]?.labels.tenant).toBe(tenant);
        expect(total(parsed, name, { tenant }, `${name}_count`)).toBe(values.length);
        expect(total(parsed, name, { tenant, le: "2560" }, `${name}_bucket`)).toBe(values.filter((v) => v <= 2560).length);
      }),
      { numRuns: 60 },
    );
  });

  it("rejects what is not an observation (negative, NaN) and merges deltas additively", () => {
    const acc = new SeriesAccumulator();
    acc.observe("h", {}, -1, TTFT_BUCKETS);
    acc.observe("h", {}, Number.NaN, TTFT_BUCKETS);
    expect(acc.size).toBe(0);
    acc.inc("c", { a: "1" }, 2);
    const first = acc.drain();
    acc.merge(first);
    acc.merge(first);
    expect(Object.values(acc.drain())).toEqual([4]);
  });
});
