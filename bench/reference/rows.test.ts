import { describe, expect, it } from "vitest";
import { uniquePrompts } from "./rows";

describe("uniquePrompts", () => {
  it("drops every row whose prompt occurs more than once (one recorded answer could not serve both)", () => {
    const rows = [{ prompt: "How tall is the lighthouse?" }, { prompt: "Name a blue fruit." }, { prompt: "How tall is the lighthouse?" }];
    expect(uniquePrompts(rows)).toEqual([{ prompt: "Name a blue fruit." }]);
  });
});
