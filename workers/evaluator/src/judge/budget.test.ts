import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startD1 } from "../testing/harness";
import { JudgeSchema } from "./config";
import { loadJudgeBudget } from "./budget";
import { JudgePolicySchema } from "./policy";

let d1: Awaited<ReturnType<typeof startD1>>;
const DAY = Date.parse("2026-11-27T00:00:00Z");

beforeAll(async () => {
  d1 = await startD1();
  const rows: Array<[string, string, number]> = [["request", "frontier-sim", 1], ["draft", "small-sim", 0.25], ["shadow", "small-sim", 0.5], ["judge", "judge-cheap", 0.05], ["judge", "judge-strong", 0.02]];
  await d1.db.batch(
    rows.map(([kind, model, cost]) =>
      d1.db.prepare("INSERT INTO usage_rollups_hourly (tenant_id, hour, feature, model, tier, key_id, kind, cost_usd) VALUES ('jb', ?1, '', ?2, 't', 'k', ?3, ?4)").bind(DAY + 3_600_000, model, kind, cost),
    ),
  );
});
afterAll(() => d1.dispose());

describe("loadJudgeBudget", () => {
  it("counts cascade drafts and shadow calls as inference, judge calls by tier", async () => {
    const judges = [JudgeSchema.parse({ name: "strong", baseUrl: "http://127.0.0.1:1", model: "judge-strong", tier: "strong" })];
    const budget = await loadJudgeBudget(d1.db, JudgePolicySchema.parse({}), judges, ["jb"], DAY + 7_200_000);
    expect(budget.snapshot("jb")).toEqual({ inference: 1.75, cheap: 0.05, strong: 0.02 });
  });
});
