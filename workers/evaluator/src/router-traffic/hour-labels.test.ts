import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unitDraw as draw } from "../../../../shared/hash/unit-draw";
import { binOf } from "../../../../shared/router-traffic/traffic-summary";
import { usageEvent } from "../testing/events";
import { startEvaluator, type EvaluatorHarness } from "../testing/harness";
import { hourLabels } from "./hour-labels";
import { runTrafficJob, windowSummaries } from "./traffic-job";

let h: EvaluatorHarness;
const HOUR = 3_600_000;
const RUN_AT = Date.parse("2026-11-27T10:07:00Z");
const CLOSED = RUN_AT - 7 * 60_000 - HOUR;

/** A routed request served on `tier`, and a judged score for it. */
function routed(tenantId: string, id: string, tier: "small" | "frontier", complexity: number, requestedModel = "auto", feature = "homework") {
  return usageEvent({ requestId: id, tenantId, feature, tier, model: `${tier}-sim`, requestedModel, completedAt: CLOSED + 1_000, decisions: { route: { tier, complexity, intent: "math" } } });
}
function shadowOf(tenantId: string, id: string, tier: "small" | "frontier" = "small") {
  return usageEvent({ requestId: `${id}:shadow`, tenantId, feature: "homework", tier, model: `${tier}-sim`, completedAt: CLOSED + 2_000, attempts: [], decisions: { shadowOf: id } });
}

// 't-lab': 60 small-served prompts at 0.1 (every 6th judged poorly), 20 frontier-served at 0.3 each with a
// shadow (the 4 first shadows poor while the frontier passed; the 5th poor but the frontier as poor; the
// 6th good where the frontier failed: a win).
const SMALL = Array.from({ length: 60 }, (_, i) => `lab-s-${i}`);
const FRONTIER = Array.from({ length: 20 }, (_, i) => `lab-f-${i}`);
const smallBad = (i: number): boolean => i % 6 === 0;

// 't-pair': 16 small-served prompts with a frontier shadow (scores small/frontier by i % 4: 2/5 a loss,
// 2/1 no loss (both failed), 5/1 a win, 5/5 neither), and 8 small-served ones without one, all failed.
const PAIRED = Array.from({ length: 16 }, (_, i) => `pair-s-${i}`);
const UNPAIRED = Array.from({ length: 8 }, (_, i) => `pair-u-${i}`);
const PAIR_SCORES: ReadonlyArray<readonly [number, number]> = [[2, 5], [2, 1], [5, 1], [5, 5]];

// 't-skip': frontier-served prompts at 0.3 whose small shadow was judged good (OK), skipped (a marker), withheld by
// the output policy, or judged poor beside a served answer nobody judged; small-served ones at 0.1 whose frontier
// shadow was skipped; and a client-named request with a marker (not routed: no label).
const SKIP_OK = Array.from({ length: 10 }, (_, i) => `skip-ok-${i}`);
const SKIP_MARKED = Array.from({ length: 6 }, (_, i) => `skip-m-${i}`);
const SKIP_SMALL = Array.from({ length: 4 }, (_, i) => `skip-s-${i}`);
/** What the gateway publishes for a drawn shadow without an answer (chat/shadow-tier.ts publishSkipped). */
function skipMarker(tenantId: string, id: string, tier: "small" | "frontier") {
  return usageEvent({
    ...shadowOf(tenantId, id, tier), feature: "homework", status: 0, errorCode: "shadow_skipped", usage: { input: { total: 0, cached: 0 }, output: { total: 0, reasoning: 0 }, source: "none" },
    costUsd: 0, counterfactualCostUsd: undefined, content: undefined, decisions: { shadowOf: id, shadowSkipped: "budget_exceeded" },
  });
}

beforeAll(async () => {
  h = await startEvaluator();
  const events = [
    ...SMALL.map((id) => routed("t-lab", id, "small", 0.1)),
    ...FRONTIER.flatMap((id) => [routed("t-lab", id, "frontier", 0.3), shadowOf("t-lab", id)]),
    routed("t-lab", "lab-explicit", "small", 0.1, "small-sim"),
    // A feature whose small-tier answers were judged but that had no shadow this hour.
    ...["chat-0", "chat-1", "chat-2"].map((id) => routed("t-lab", id, "small", 0.1, "auto", "chat")),
    // Another tenant's labels, all poor.
    ...["other-f-0", "other-f-1"].flatMap((id) => [routed("t-other", id, "frontier", 0.3), shadowOf("t-other", id)]),
    ...PAIRED.flatMap((id) => [routed("t-pair", id, "small", 0.1), shadowOf("t-pair", id, "frontier")]),
    ...UNPAIRED.map((id) => routed("t-pair", id, "small", 0.1)),
    ...SKIP_OK.flatMap((id) => [routed("t-skip", id, "frontier", 0.3), shadowOf("t-skip", id)]),
    ...SKIP_MARKED.flatMap((id) => [routed("t-skip", id, "frontier", 0.3), skipMarker("t-skip", id, "small")]),
    routed("t-skip", "skip-blocked", "frontier", 0.3), { ...shadowOf("t-skip", "skip-blocked"), status: 400, errorCode: "output_blocked", content: undefined },
    routed("t-skip", "skip-unjudged", "frontier", 0.3), shadowOf("t-skip", "skip-unjudged"),
    ...SKIP_SMALL.flatMap((id) => [routed("t-skip", id, "small", 0.1), skipMarker("t-skip", id, "frontier")]),
    routed("t-skip", "skip-named", "frontier", 0.3, "frontier-sim"), skipMarker("t-skip", "skip-named", "small"),
  ];
  await h.queue(events.map((e) => ({ id: e.requestId, body: e })));
  const judged: Array<[string, string, string, number]> = [
    ...SMALL.map((id, i): [string, string, string, number] => ["t-lab", id, "small", smallBad(i) ? 2 : 5]),
    ...FRONTIER.flatMap((id, i): Array<[string, string, string, number]> => [["t-lab", id, "frontier", i === 4 || i === 5 ? 1 : 5], ["t-lab", `${id}:shadow`, "small", i < 5 ? 1 : 5]]),
    ["t-lab", "lab-explicit", "small", 1],
    ...["chat-0", "chat-1", "chat-2"].map((id): [string, string, string, number] => ["t-lab", id, "small", 5]),
    ...["other-f-0", "other-f-1"].flatMap((id): Array<[string, string, string, number]> => [["t-other", id, "frontier", 5], ["t-other", `${id}:shadow`, "small", 1]]),
    ...PAIRED.flatMap((id, i): Array<[string, string, string, number]> => [["t-pair", id, "small", PAIR_SCORES[i % 4]![0]], ["t-pair", `${id}:shadow`, "frontier", PAIR_SCORES[i % 4]![1]]]),
    ...UNPAIRED.map((id): [string, string, string, number] => ["t-pair", id, "small", 2]),
    ...SKIP_OK.flatMap((id): Array<[string, string, string, number]> => [["t-skip", id, "frontier", 5], ["t-skip", `${id}:shadow`, "small", 5]]),
    ...SKIP_MARKED.map((id): [string, string, string, number] => ["t-skip", id, "frontier", 5]),
    ["t-skip", "skip-blocked", "frontier", 5],
    ["t-skip", "skip-unjudged:shadow", "small", 2],
    ...SKIP_SMALL.map((id): [string, string, string, number] => ["t-skip", id, "small", 5]),
  ];
  await h.db.batch(
    judged.map(([tenant, id, tier, score]) =>
      h.db
        .prepare("INSERT OR REPLACE INTO evaluations (request_id, tenant_id, feature, model, tier, status, score_mean, checks_json, judges_json, panel_version, completed_at, evaluated_at) VALUES (?1, ?2, 'homework', ?3, ?4, 'ok', ?5, '[]', '[]', 'test', ?6, ?6)")
        .bind(id, tenant, `${tier}-sim`, tier, score, CLOSED + 3_000),
    ),
  );
  await runTrafficJob(h.db, undefined, RUN_AT, { windowHours: 24 });
});
afterAll(() => h.dispose());

describe("hour labels", () => {
  it("labels served small-tier answers and shadow pairs (the export's small_ok rule), thinned to the shadows' draw", async () => {
    const labels = (await hourLabels(h.db, "t-lab", CLOSED, HOUR, 4, ["small"], RUN_AT)).get("homework") ?? [];
    const rate = Math.max(...FRONTIER.map(draw));
    const keptSmall = SMALL.map((id, i) => ({ kept: draw(id) < rate, bad: smallBad(i) })).filter((x) => x.kept);
    // Shadows: 0-3 bad (poor while the frontier passed), 4 not (the frontier was as poor), 5 a win, 6-19 good;
    // the one whose draw sets the rate is dropped, like any label at or above it.
    const keptShadows = FRONTIER.map((id, i) => ({ kept: draw(id) < rate, bad: i < 4, win: i === 5 })).filter((x) => x.kept);
    expect(keptShadows).toHaveLength(19);
    expect(labels).toEqual(
      [
        [binOf(0.1), keptSmall.length, keptSmall.filter((x) => x.bad).length, 0],
        [binOf(0.3), 19, keptShadows.filter((x) => x.bad).length, keptShadows.filter((x) => x.win).length],
      ].filter(([, n]) => n! > 0),
    );
    // The thinning is real on these ids: some small-tier labels fall above the shadows' highest draw.
    expect(keptSmall.length).toBeLessThan(SMALL.length);
  });

  it("pairs a served small answer with its judged frontier shadow, keeps unpaired ones as losses, thins both below the same draw", async () => {
    const labels = (await hourLabels(h.db, "t-pair", CLOSED, HOUR, 4, ["small"], RUN_AT)).get("homework") ?? [];
    // D is set by the paired labels (shadow-backed); the one at D is dropped like any label at or above it.
    const d = Math.max(...PAIRED.map(draw));
    const pairs = PAIRED.map((id, i) => ({ kept: draw(id) < d, kind: i % 4 })).filter((x) => x.kept);
    const unpaired = UNPAIRED.filter((id) => draw(id) < d).length;
    expect(pairs).toHaveLength(15);
    // A failed small answer is a loss only where the frontier passed (kind 0), a win where it alone passed (kind 2);
    // without a frontier answer every failed one is a loss.
    const bad = pairs.filter((x) => x.kind === 0).length + unpaired;
    const wins = pairs.filter((x) => x.kind === 2).length;
    expect(labels).toEqual([[binOf(0.1), 15 + unpaired, bad, wins]]);
    expect(wins).toBeGreaterThan(0);
    // The old rule (every failed served answer a loss) would have counted kind 1 too.
    expect(bad).toBeLessThan(pairs.filter((x) => x.kind <= 1).length + unpaired);
  });

  it("counts a drawn frontier-served request whose small shadow left no verdict (skipped, withheld) as a loss, never setting D", async () => {
    // The marker is an ordinary ledger row: nothing billed, not an error.
    const marker = await h.db.prepare("SELECT status, error_code, cost_usd, cost_avoided_usd, parent_request_id FROM usage_ledger WHERE request_id = 'skip-m-0:shadow'").first();
    expect(marker).toEqual({ status: 0, error_code: "shadow_skipped", cost_usd: 0, cost_avoided_usd: 0, parent_request_id: "skip-m-0" });
    const labels = (await hourLabels(h.db, "t-skip", CLOSED, HOUR, 4, ["small"], RUN_AT)).get("homework") ?? [];
    // Shadow-backed: the judged small shadows (with or without a judged served answer); markers are not.
    const d = Math.max(...[...SKIP_OK, "skip-unjudged"].map(draw));
    const below = (ids: string[]) => ids.filter((id) => draw(id) < d);
    const missing = below([...SKIP_MARKED, "skip-blocked"]).length;
    const unjudgedServed = below(["skip-unjudged"]).length;
    const frontierServed = below(SKIP_OK).length + missing + unjudgedServed;
    // A skipped frontier shadow leaves the served small answer unpaired (it passed: not a loss).
    const smallServed = below(SKIP_SMALL).length;
    expect(labels).toEqual([[binOf(0.1), smallServed, 0, 0], [binOf(0.3), frontierServed, missing + unjudgedServed, 0]].filter(([, n]) => n! > 0));
    // On these ids the imputed losses are real: without them the 0.3 bin would show only the judged shadows.
    expect(missing).toBeGreaterThan(0);
    expect(smallServed).toBeGreaterThan(0);
  });

  it("stores them with the hour's histogram and sums them into the tenant's window, never another tenant's", async () => {
    const { features, all } = await windowSummaries(h.db, "t-lab", CLOSED - 23 * HOUR, CLOSED + 2 * HOUR);
    const homework = features.get("homework")!;
    const hourly = (await hourLabels(h.db, "t-lab", CLOSED, HOUR, 4, ["small"], RUN_AT)).get("homework");
    expect(homework.labels).toEqual(hourly);
    expect(all?.labels).toEqual(homework.labels);
    // Two shadows: the one below the other's draw is the tenant's only label (all of its shadows were poor).
    const other = await windowSummaries(h.db, "t-other", CLOSED - 23 * HOUR, CLOSED + 2 * HOUR);
    expect(other.all?.labels).toEqual([[binOf(0.3), 1, 1, 0]]);
  });

  it("gives no labels for a feature or an hour without shadow labels (the channels' rates cannot be matched)", async () => {
    expect([...(await hourLabels(h.db, "t-lab", CLOSED, HOUR, 4, ["small"], RUN_AT)).keys()]).toEqual(["homework"]);
    expect((await hourLabels(h.db, "t-lab", CLOSED - HOUR, HOUR, 4, ["small"], RUN_AT)).size).toBe(0);
  });

  it("takes no labels from the hour still open (its frontier-served labels lag), only once it has closed", async () => {
    // 10:00-10:07, before the 10:07 run: three frontier-served requests with small shadows judged poor.
    const OPEN = RUN_AT - 7 * 60_000;
    const ids = ["open-f-0", "open-f-1", "open-f-2"];
    const at = (e: ReturnType<typeof routed>) => ({ ...e, completedAt: OPEN + 60_000, receivedAt: OPEN + 59_000 });
    const events = ids.flatMap((id) => [at(routed("t-open", id, "frontier", 0.3)), at(shadowOf("t-open", id))]);
    await h.queue(events.map((e) => ({ id: e.requestId, body: e })));
    await h.db.batch(
      ids.flatMap((id) => [[id, "frontier", 5], [`${id}:shadow`, "small", 1]]).map(([id, tier, score]) =>
        h.db
          .prepare("INSERT OR REPLACE INTO evaluations (request_id, tenant_id, feature, model, tier, status, score_mean, checks_json, judges_json, panel_version, completed_at, evaluated_at) VALUES (?1, 't-open', 'homework', ?2, ?3, 'ok', ?4, '[]', '[]', 'test', ?5, ?5)")
          .bind(id, `${tier}-sim`, tier, score, OPEN + 120_000),
      ),
    );
    const window = async () => (await windowSummaries(h.db, "t-open", OPEN - 24 * HOUR, OPEN + 2 * HOUR)).all;
    await runTrafficJob(h.db, undefined, RUN_AT, { windowHours: 24 });
    // The open hour's histogram counts (a new tenant's traffic counts at once), its labels do not yet.
    expect((await window())?.requests).toBe(3);
    expect((await window())?.labels).toEqual([]);
    await runTrafficJob(h.db, undefined, RUN_AT + HOUR, { windowHours: 24 });
    expect((await window())?.labels).toEqual([[binOf(0.3), 2, 2, 0]]);
  });

  it("still counts labels judged after the first run past their hour: the next run recomputes it", async () => {
    // Verdicts that land after the 10:07 run: two shadow pairs of 09:00, all judged poor.
    const late = ["late-f-0", "late-f-1", "late-f-2"];
    const events = late.flatMap((id) => [routed("t-late", id, "frontier", 0.3), shadowOf("t-late", id)]);
    await h.queue(events.map((e) => ({ id: e.requestId, body: e })));
    await h.db.batch(
      late.flatMap((id) => [
        [id, "frontier", 5],
        [`${id}:shadow`, "small", 1],
      ]).map(([id, tier, score]) =>
        h.db
          .prepare("INSERT OR REPLACE INTO evaluations (request_id, tenant_id, feature, model, tier, status, score_mean, checks_json, judges_json, panel_version, completed_at, evaluated_at) VALUES (?1, 't-late', 'homework', ?2, ?3, 'ok', ?4, '[]', '[]', 'test', ?5, ?6)")
          .bind(id, `${tier}-sim`, tier, score, CLOSED + 3_000, RUN_AT + 30 * 60_000),
      ),
    );
    await runTrafficJob(h.db, undefined, RUN_AT + HOUR, { windowHours: 24 });
    const { all } = await windowSummaries(h.db, "t-late", CLOSED - 23 * HOUR, CLOSED + 3 * HOUR);
    // Three shadows, the one at the highest draw dropped: two poor labels.
    expect(all?.labels).toEqual([[binOf(0.3), 2, 2, 0]]);
  });
});
