import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unitDraw as draw } from "../../../../shared/hash/unit-draw";
import { binOf } from "../../../../shared/router-traffic/traffic-summary";
import { consumeBatch } from "../consume-batch";
import { offlineConsumerDeps } from "../testing/consumer-deps";
import { usageEvent } from "../testing/events";
import { fakeBatch } from "../testing/fake-batch";
import { startD1 } from "../testing/harness";
import { hourLabels, JUDGING_HORIZON_MS } from "./hour-labels";
import { runTrafficJob, windowSummaries } from "./traffic-job";

// Review s12-a findings 1 and 2: which missing verdicts are losses, which give no label (yet).
let d1: Awaited<ReturnType<typeof startD1>>;
const HOUR = 3_600_000;
const MIN = 60_000;
const CLOSED = Date.parse("2026-11-27T09:00:00Z");
const ids = (p: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${p}-${i}`);
const below = (xs: readonly string[], d: number): number => xs.filter((id) => draw(id) < d).length;

const routed = (t: string, id: string, tier: "small" | "frontier", c: number, at: number, extra = {}) =>
  usageEvent({ requestId: id, tenantId: t, feature: "f", tier, model: `${tier}-sim`, completedAt: at, decisions: { route: { tier, complexity: c, intent: "math" } }, ...extra });
const shadow = (t: string, id: string, at: number, extra = {}) =>
  usageEvent({ requestId: `${id}:shadow`, tenantId: t, feature: "f", tier: "small", model: "small-sim", completedAt: at, attempts: [], decisions: { shadowOf: id }, ...extra });
/** An evaluation of an answer completed `at`, made `evaluatedAt`. */
const evaluation = (t: string, id: string, tier: string, status: "ok" | "error", score: number | null, at: number, evaluatedAt = at) =>
  d1.db
    .prepare("INSERT INTO evaluations (request_id, tenant_id, feature, model, tier, status, score_mean, checks_json, judges_json, panel_version, completed_at, evaluated_at) VALUES (?1, ?2, 'f', ?3, ?4, ?5, ?6, '[]', '[]', 't', ?7, ?8)")
    .bind(id, t, `${tier}-sim`, tier, status, score, at, evaluatedAt);
const fallback = (t: string, id: string, tier: string, at: number) =>
  d1.db
    .prepare("INSERT INTO judge_fallbacks (request_id, tenant_id, feature, model, tier, reason, checks_json, hard_failure, completed_at, recorded_at, ingest_nonce) VALUES (?1, ?2, 'f', ?3, ?4, 'budget', '[]', 0, ?5, ?5, 'n')")
    .bind(id, t, `${tier}-sim`, tier, at);

// 'late': 20 frontier-served requests whose small shadows are judged at once (they set D); 20 whose
// shadows finish at 09:58 and are judged good only at 10:40, after the 10:07 run; 20 whose shadows
// finish at 09:30 and are never judged.
const EARLY = ids("early", 20);
const LATE = ids("late", 20);
const NEVER = ids("never", 20);
// 'asym': 20 judged-good shadows set D; frontier-served requests whose small shadow the judge budget
// fell back on or the judges failed; small-served answers the judge budget fell back on; small-served
// answers and small shadows the output policy withheld; a withheld answer of a named model (not routed).
const OK = ids("ok", 20);
const FB = ids("fb", 20);
const ERR = ids("err", 20);
const SFB = ids("sfb", 20);
const SBLK = ids("sblk", 20);
const FBLK = ids("fblk", 20);
const blocked = { status: 400, errorCode: "output_blocked", content: undefined };

beforeAll(async () => {
  d1 = await startD1();
  const at = CLOSED + MIN;
  const events = [
    ...EARLY.flatMap((id) => [routed("late", id, "frontier", 0.3, at), shadow("late", id, at + 10_000)]),
    ...LATE.flatMap((id) => [routed("late", id, "frontier", 0.3, CLOSED + 58 * MIN), shadow("late", id, CLOSED + 58 * MIN + 10_000)]),
    ...NEVER.flatMap((id) => [routed("late", id, "frontier", 0.3, CLOSED + 30 * MIN), shadow("late", id, CLOSED + 30 * MIN + 10_000)]),
    ...[...OK, ...FB, ...ERR].flatMap((id) => [routed("asym", id, "frontier", 0.3, at), shadow("asym", id, at + 1_000)]),
    ...SFB.map((id) => routed("asym", id, "small", 0.1, at)),
    ...SBLK.map((id) => routed("asym", id, "small", 0.1, at, blocked)),
    ...FBLK.flatMap((id) => [routed("asym", id, "frontier", 0.3, at), shadow("asym", id, at + 1_000, blocked)]),
    usageEvent({ requestId: "named-blocked", tenantId: "asym", feature: "f", tier: "small", model: "small-sim", requestedModel: "small-sim", completedAt: at, ...blocked }),
  ];
  await consumeBatch(fakeBatch(events), offlineConsumerDeps(d1.db));
  await d1.db.batch([
    ...EARLY.map((id) => evaluation("late", `${id}:shadow`, "small", "ok", 5, at + 10_000)),
    ...OK.map((id) => evaluation("asym", `${id}:shadow`, "small", "ok", 5, at + 1_000)),
    ...FB.map((id) => fallback("asym", `${id}:shadow`, "small", at + 1_000)),
    ...ERR.map((id) => evaluation("asym", `${id}:shadow`, "small", "error", null, at + 1_000)),
    ...SFB.map((id) => fallback("asym", id, "small", at)),
  ]);
});
afterAll(() => d1.dispose());

describe("hour labels: missing verdicts", () => {
  it("gives a shadow still waiting for its verdict no label, counts the verdict once in, and a verdict never given past the horizon as a loss", async () => {
    const stored = async () => (await windowSummaries(d1.db, "late", CLOSED, CLOSED + HOUR)).features.get("f")?.labels;
    const d = Math.max(...EARLY.map(draw));
    const run = (h: number) => runTrafficJob(d1.db, undefined, CLOSED + h * HOUR + 7 * MIN, { windowHours: 24 }, CLOSED + h * HOUR + 7 * MIN);
    await run(1);
    // 10:07: LATE (9 min old) and NEVER (37 min) are pending, not losses.
    expect(await stored()).toEqual([[binOf(0.3), 19, 0, 0]]);
    await d1.db.batch(LATE.map((id) => evaluation("late", `${id}:shadow`, "small", "ok", 5, CLOSED + 58 * MIN + 10_000, CLOSED + 100 * MIN)));
    await run(2);
    // 11:07: the late verdicts count (all good; judged shadows, so D is the highest of both); NEVER is
    // past the horizon: final, a loss each below D.
    const d2 = Math.max(d, ...LATE.map(draw));
    const final = [[binOf(0.3), 39 + below(NEVER, d2), below(NEVER, d2), 0]];
    expect(await stored()).toEqual(final);
    expect(below(NEVER, d2)).toBeGreaterThan(0);
    // The 11:07 run is the hour's last: the job recomputes no hour whose shadows are not all past the horizon.
    expect(2 * HOUR + 7 * MIN - HOUR).toBeGreaterThanOrEqual(JUDGING_HORIZON_MS);
    await run(3);
    expect(await stored()).toEqual(final);
  });

  it("counts a withheld small answer as a loss on both sides and drops judge fallbacks and judge errors on both sides", async () => {
    const labels = (await hourLabels(d1.db, "asym", CLOSED, HOUR, 4, ["small"], CLOSED + 2 * HOUR)).get("f") ?? [];
    const d = Math.max(...OK.map(draw));
    expect(labels).toEqual([
      [binOf(0.1), below(SBLK, d), below(SBLK, d), 0],
      [binOf(0.3), 19 + below(FBLK, d), below(FBLK, d), 0],
    ]);
    expect(below(SBLK, d)).toBeGreaterThan(0);
    // FB, ERR and SFB below D gave nothing: the judges, not the answers, left them without a verdict.
    expect(below(FB, d) + below(ERR, d) + below(SFB, d)).toBeGreaterThan(0);
  });
});
