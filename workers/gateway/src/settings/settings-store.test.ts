import { afterEach, describe, expect, it } from "vitest";
import { configureSettingsTtl, SETTINGS_TTL_MS, settingsFor } from "./settings-store";

// Counts the D1 reads settingsFor makes (no stored layers: the defaults).
function countingDb(): { db: D1Database; reads: () => number } {
  let reads = 0;
  const stmt = { bind: () => stmt, all: async () => ((reads += 1), { results: [] }) };
  return { db: { prepare: () => stmt } as unknown as D1Database, reads: () => reads };
}

describe("the settings cache TTL", () => {
  afterEach(() => configureSettingsTtl(undefined));

  it("is 5 s unless the var sets a usable value", () => {
    expect(configureSettingsTtl(undefined)).toBe(SETTINGS_TTL_MS);
    expect(SETTINGS_TTL_MS).toBe(5_000);
    expect(configureSettingsTtl("")).toBe(5_000);
    expect(configureSettingsTtl("soon")).toBe(5_000);
    expect(configureSettingsTtl("-5")).toBe(5_000);
    expect(configureSettingsTtl("200")).toBe(200);
  });

  it("reads D1 again once the configured TTL has passed, not before", async () => {
    configureSettingsTtl("200");
    const { db, reads } = countingDb();
    await settingsFor(db, "t1", null, 1_000);
    await settingsFor(db, "t1", null, 1_199);
    expect(reads()).toBe(1);
    await settingsFor(db, "t1", null, 1_200);
    expect(reads()).toBe(2);
    configureSettingsTtl(undefined);
    await settingsFor(db, "t1", null, 2_000);
    await settingsFor(db, "t1", null, 6_999);
    expect(reads()).toBe(3);
  });
});
