import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { qualityTargetBand } from "../../../gateway/src/router/quality-target/derive-band";
import { trafficKey } from "../../../../shared/router-traffic/traffic-key";
import { TrafficSummarySchema } from "../../../../shared/router-traffic/traffic-summary";
import { DRIFT_CRON } from "../scheduled";
import { usageEvent } from "../testing/events";
import { startEvaluator, type EvaluatorHarness } from "../testing/harness";
import { runTrafficJob, windowSummaries } from "./traffic-job";

let h: EvaluatorHarness;
const HOUR = 3_600_000;
const RUN_AT = Date.parse("2026-11-27T10:07:00Z");
const CLOSED = RUN_AT - 7 * 60_000 - HOUR; // 09:00, the hour just closed

/** Routed requests of one tenant and feature in the closed hour, complexity by index. */
function routed(tenantId: string, feature: string | null, n: number, complexity: (i: number) => number, prefix = `${tenantId}-${feature}`) {
  return Array.from({ length: n }, (_, i) =>
    usageEvent({ requestId: `${prefix}-${i}`, tenantId, feature, completedAt: CLOSED + 1_000 + i, decisions: { route: { complexity: complexity(i), intent: "math" } } }),
  );
}

beforeAll(async () => {
  h = await startEvaluator();
  const now = Date.now();
  await h.db.batch([
    h.db.prepare("INSERT INTO tenants (id, name, created_at) VALUES ('t-qt', 'targeted', ?1), ('t-plain', 'plain', ?1)").bind(now),
    h.db.prepare("INSERT INTO tenant_settings (tenant_id, feature, settings_json, updated_at) VALUES ('t-qt', '', ?1, ?2)").bind(JSON.stringify({ router: { qualityTarget: 0.95 } }), now),
  ]);
  const events = [
    // 'homework': 100 easy (0.1) and 200 hard (0.3) prompts; 'chat': 10 prompts at 0.2; 30 without a feature.
    ...routed("t-qt", "homework", 300, (i) => (i < 100 ? 0.1 : 0.3)),
    ...routed("t-qt", "chat", 10, () => 0.2),
    ...routed("t-qt", null, 30, () => 0.25),
    // Not decided by the router, or not a model call: left out of the histogram.
    usageEvent({ requestId: "explicit-1", tenantId: "t-qt", feature: "homework", requestedModel: "frontier-sim", completedAt: CLOSED + 5, decisions: { route: { complexity: 0.9 } } }),
    usageEvent({ requestId: "hit-1", tenantId: "t-qt", feature: "homework", cache: "hit-exact", completedAt: CLOSED + 6, decisions: { route: { complexity: 0.9 } } }),
    usageEvent({ requestId: "x:draft", tenantId: "t-qt", feature: "homework", completedAt: CLOSED + 7, decisions: { cascadeDraftOf: "x", route: { complexity: 0.9 } } }),
    ...routed("t-plain", "homework", 50, () => 0.3),
  ];
  for (let i = 0; i < events.length; i += 100) await h.queue(events.slice(i, i + 100).map((e) => ({ id: e.requestId, body: e })));
  await h.scheduled(DRIFT_CRON, new Date(RUN_AT));
});
afterAll(() => h.dispose());

describe("router traffic job", () => {
  it("keeps an hourly complexity histogram per tenant and feature of the requests the router decided", async () => {
    const rows = (await h.db.prepare("SELECT tenant_id, feature, hour, requests FROM router_complexity_hourly ORDER BY tenant_id, feature").all()).results;
    expect(rows).toEqual([
      { tenant_id: "t-plain", feature: "homework", hour: CLOSED, requests: 50 },
      { tenant_id: "t-qt", feature: "", hour: CLOSED, requests: 30 },
      { tenant_id: "t-qt", feature: "chat", hour: CLOSED, requests: 10 },
      { tenant_id: "t-qt", feature: "homework", hour: CLOSED, requests: 300 },
    ]);
    const { features, all } = await windowSummaries(h.db, "t-qt", CLOSED - 23 * HOUR, CLOSED + 2 * HOUR);
    expect(all?.requests).toBe(340);
    const homework = features.get("homework")!;
    expect(homework.bins.map(([, n]) => n)).toEqual([100, 200]);
    expect(homework.bins[0]![2]).toBeCloseTo(10, 9);
  });

  it("publishes the window to KV for tenants with a quality target only, where the gateway derives the band", async () => {
    const kv = await h.mf.getKVNamespace("KEYS_KV");
    const read = async (key: string) => {
      const raw = await kv.get(key);
      return raw === null ? null : TrafficSummarySchema.parse(JSON.parse(raw));
    };
    const homework = await read(trafficKey("t-qt", "f:homework"));
    expect(homework?.requests).toBe(300);
    expect((await read(trafficKey("t-qt", "all")))?.requests).toBe(340);
    expect(await read(trafficKey("t-qt", "none"))).not.toBeNull();
    // Too few requests to publish on their own: the tenant-wide value covers 'chat'.
    expect(await read(trafficKey("t-qt", "f:chat"))).toBeNull();
    expect(await read(trafficKey("t-plain", "all"))).toBeNull();
    // 0.05 x 0.85 x 300 = 12.75: the 100 easy prompts (10) and ~9 of the hard ones fit.
    const band = qualityTargetBand(homework, { target: 0.95, frontierTier: "frontier", min: 0.05, max: 0.5, minRequests: 200 });
    expect(band?.smallShare).toBeCloseTo((100 + 2.75 / 0.3) / 300, 3);
  });

  // Last: it rewrites the hour's rows.
  it("scales counts by 1/rate when LEDGER_SAMPLING keeps only a share of the ledger rows, keeping the histogram's shape", async () => {
    const seen: Array<string | null> = [];
    const ledgerRate = (tenantId: string, feature: string | null) => {
      seen.push(feature);
      return tenantId === "t-qt" && feature === "homework" ? 0.5 : 1;
    };
    await runTrafficJob(h.db, undefined, RUN_AT, { windowHours: 24, ledgerRate });
    const { features, all } = await windowSummaries(h.db, "t-qt", CLOSED - 23 * HOUR, CLOSED + 2 * HOUR);
    const homework = features.get("homework")!;
    expect(homework.requests).toBe(600);
    expect(homework.bins.map(([, n]) => n)).toEqual([200, 400]);
    expect(homework.bins[0]![2]).toBeCloseTo(20, 9);
    // The other features are kept whole; rows without a feature are asked for as null.
    expect(all?.requests).toBe(640);
    expect(seen).toContain(null);
    expect(seen).not.toContain("");
  });
});
