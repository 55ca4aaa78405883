import { describe, expect, it } from "vitest";
import { ServerTiming } from "./server-timing";

describe("ServerTiming timeline (trace spans)", () => {
  it("keeps each stage's start after the origin, in order, and names the running stage", async () => {
    const timing = new ServerTiming();
    let during: string | null = null;
    await timing.measure("parse", async () => {
      during = timing.current;
      await new Promise((r) => setTimeout(r, 5));
    });
    timing.add("auth", 2);
    const [parse, auth] = timing.timeline();
    expect(during).toBe("parse");
    expect(timing.current).toBeNull();
    expect(parse).toMatchObject({ name: "parse" });
    expect(parse?.durationMs).toBeGreaterThanOrEqual(4);
    expect(auth?.startMs).toBeGreaterThanOrEqual((parse?.startMs ?? 0) + (parse?.durationMs ?? 0) - 2.5);
    expect(timing.list().map((s) => s.name)).toEqual(["parse", "auth"]);
  });
});
